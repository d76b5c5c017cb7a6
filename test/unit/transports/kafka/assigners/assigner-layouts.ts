import type {
  GroupAssignment,
  GroupSubscription,
  PartitionsPerTopic,
} from '../../../../../lib/transports/kafka/assigners/group-subscription';

/** `{ t0: 3 }` → topic t0 with partitions 0, 1, 2. */
export function partitions(counts: Readonly<Record<string, number>>): PartitionsPerTopic {
  return new Map(
    Object.entries(counts).map(([topic, count]) => [
      topic,
      Array.from({ length: count }, (_, id) => id),
    ]),
  );
}

export function member(
  memberId: string,
  topics: readonly string[],
  groupInstanceId?: string,
): GroupSubscription {
  return { memberId, topics, groupInstanceId };
}

/** The assignment as `{ member: ['t0p0', 't1p2', …] }`, in the order it was dealt. */
export function shown(assignment: GroupAssignment): Record<string, string[]> {
  return Object.fromEntries(
    [...assignment].map(([memberId, given]) => [
      memberId,
      given.map(({ topic, partition }) => `${topic}p${partition}`),
    ]),
  );
}

/** As `shown`, each member's partitions sorted (range deals topic by topic, in no set order). */
export function shownSorted(assignment: GroupAssignment): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(shown(assignment)).map(([memberId, given]) => [memberId, [...given].sort()]),
  );
}
