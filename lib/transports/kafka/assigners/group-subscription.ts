/**
 * What one member of a consumer group asked for, as the group leader reads it from the
 * member's JoinGroup metadata (the standard ConsumerProtocol subscription).
 */
export interface GroupSubscription {
  readonly memberId: string;
  /** Set for a static member (`group.instance.id`); such members are ordered by it. */
  readonly groupInstanceId?: string | null;
  readonly topics: readonly string[];
}

/** One partition of one topic. */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** The partition ids of each topic the leader knows, as its metadata lists them. */
export type PartitionsPerTopic = ReadonlyMap<string, readonly number[]>;

/** Member id → the partitions it is given; every member of the group has an entry, maybe empty. */
export type GroupAssignment = Map<string, TopicPartition[]>;

/** A strategy's assignment of a group, a pure function of the subscriptions and the metadata. */
export type AssignmentFunction = (
  subscriptions: readonly GroupSubscription[],
  partitionsPerTopic: PartitionsPerTopic,
) => GroupAssignment;

/**
 * The order every client puts members in before dealing partitions (the Java client's
 * `MemberInfo`, which librdkafka and kafka-python follow): static members first, by instance
 * id, then the others by member id. Strings compare by UTF-16 code unit, as Java's do.
 */
export function compareMembers(a: GroupSubscription, b: GroupSubscription): number {
  const aStatic = a.groupInstanceId ?? undefined;
  const bStatic = b.groupInstanceId ?? undefined;
  if (aStatic !== undefined && bStatic !== undefined) return compareStrings(aStatic, bStatic);
  if (aStatic !== undefined) return -1;
  if (bStatic !== undefined) return 1;
  return compareStrings(a.memberId, b.memberId);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An empty assignment with an entry for every member. */
export function emptyAssignment(subscriptions: readonly GroupSubscription[]): GroupAssignment {
  return new Map(subscriptions.map(({ memberId }) => [memberId, []]));
}

/** A topic's partition ids in ascending order. */
export function sortedPartitions(partitions: readonly number[]): number[] {
  return [...partitions].sort((a, b) => a - b);
}
