import type { AssignerProtocol, Cluster, GroupMember, PartitionAssigner } from 'kafkajs';
import type { KafkaPartitionAssigner } from '../kafka-client-options.interface';
import type { AssignmentFunction, GroupSubscription, TopicPartition } from './group-subscription';
import { assignRange, RANGE_ASSIGNER_NAME } from './range.assigner';
import { assignRoundRobin, ROUND_ROBIN_ASSIGNER_NAME } from './round-robin.assigner';
import { loadKafkaJs } from '../kafkajs.loader';

/** kafkajs's ConsumerProtocol encoders and decoders. */
type Protocol = typeof AssignerProtocol;

/** The ConsumerProtocol version written: 0 (topics and user data), which every client reads. */
const PROTOCOL_VERSION = 0;

/** kafkajs's JoinGroup v5+ answer also names each member's static instance id. */
type JoinedMember = GroupMember & { readonly groupInstanceId?: string | null };

/** The kafkajs `partitionAssigners` for a consumer offering `names`, in that order. */
export function toKafkaJsPartitionAssigners(
  names: readonly KafkaPartitionAssigner[],
): PartitionAssigner[] {
  const { AssignerProtocol: protocol, PartitionAssigners } = loadKafkaJs();
  return names.map((name) => {
    switch (name) {
      case 'range':
        return standardAssigner(RANGE_ASSIGNER_NAME, assignRange, protocol);
      case 'roundrobin':
        return standardAssigner(ROUND_ROBIN_ASSIGNER_NAME, assignRoundRobin, protocol);
      case 'kafkajs-roundrobin':
        return PartitionAssigners.roundRobin;
    }
  });
}

/**
 * A strategy under its standard protocol name, speaking the standard ConsumerProtocol: the
 * member's subscription is announced as version 0 (its topics, no user data) and, as leader,
 * every member's subscription is read whatever its version (later ones only add fields after
 * those), the subscribed topics of all members assigned, and every member sent an assignment,
 * an empty one included (the Java client refuses an empty buffer).
 */
function standardAssigner(
  name: string,
  assign: AssignmentFunction,
  protocol: Protocol,
): PartitionAssigner {
  return ({ cluster }) => ({
    name,
    version: PROTOCOL_VERSION,
    protocol: ({ topics }) => ({
      name,
      metadata: protocol.MemberMetadata.encode({
        version: PROTOCOL_VERSION,
        topics,
        userData: Buffer.alloc(0),
      }),
    }),
    async assign({ members, topics }) {
      const subscriptions = members.map((member) => subscriptionOf(member, name, protocol));
      const wanted = new Set([...topics, ...subscriptions.flatMap((one) => one.topics)]);
      const assignment = assign(subscriptions, await partitionsOf(cluster, [...wanted]));
      return subscriptions.map(({ memberId }) => ({
        memberId,
        memberAssignment: protocol.MemberAssignment.encode({
          version: PROTOCOL_VERSION,
          assignment: byTopic(assignment.get(memberId) ?? []),
          userData: Buffer.alloc(0),
        }),
      }));
    },
  });
}

function subscriptionOf(
  member: JoinedMember,
  protocolName: string,
  protocol: Protocol,
): GroupSubscription {
  const metadata = protocol.MemberMetadata.decode(member.memberMetadata);
  if (!metadata || !Array.isArray(metadata.topics)) {
    throw new Error(
      `group member ${member.memberId} sent no readable ${protocolName} subscription (ConsumerProtocol)`,
    );
  }
  return {
    memberId: member.memberId,
    groupInstanceId: member.groupInstanceId ?? undefined,
    topics: metadata.topics,
  };
}

/**
 * The partition ids of each topic, from the leader's metadata. A topic only another member
 * reads is added to what the leader's client tracks; one that does not exist is left out.
 */
async function partitionsOf(
  cluster: Cluster,
  topics: readonly string[],
): Promise<Map<string, number[]>> {
  const known = (topic: string): number[] =>
    cluster.findTopicPartitionMetadata(topic).map(({ partitionId }) => partitionId);
  const missing = topics.filter((topic) => known(topic).length === 0);
  if (missing.length > 0) {
    // kafkajs forgets the topics again when the broker knows none of them.
    await cluster.addMultipleTargetTopics(missing).catch(() => undefined);
  }
  const partitions = new Map<string, number[]>();
  for (const topic of topics) {
    const ids = known(topic);
    if (ids.length > 0) partitions.set(topic, ids);
  }
  return partitions;
}

function byTopic(partitions: readonly TopicPartition[]): Record<string, number[]> {
  const topics: Record<string, number[]> = Object.create(null) as Record<string, number[]>;
  for (const { topic, partition } of partitions) (topics[topic] ??= []).push(partition);
  return topics;
}
