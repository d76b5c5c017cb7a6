import {
  compareMembers,
  compareStrings,
  emptyAssignment,
  sortedPartitions,
  type GroupAssignment,
  type GroupSubscription,
  type PartitionsPerTopic,
} from './group-subscription';

/** The protocol name every client gives this strategy in JoinGroup. */
export const ROUND_ROBIN_ASSIGNER_NAME = 'roundrobin';

/**
 * The `roundrobin` strategy, as the Java client's `RoundRobinAssignor`, librdkafka's and
 * kafka-python's deal it: every subscribed topic's partitions, topics by name and partitions
 * ascending, are dealt one by one to the members in member order, going round; a member not
 * subscribed to a partition's topic is passed over for it (and keeps its turn for later ones).
 * A topic the leader has no metadata for is left out, as Java leaves it.
 */
export function assignRoundRobin(
  subscriptions: readonly GroupSubscription[],
  partitionsPerTopic: PartitionsPerTopic,
): GroupAssignment {
  const assignment = emptyAssignment(subscriptions);
  const members = [...subscriptions].sort(compareMembers);
  const topics = [...new Set(subscriptions.flatMap((subscription) => subscription.topics))]
    .filter((topic) => partitionsPerTopic.has(topic))
    .sort(compareStrings);
  let turn = 0;
  for (const topic of topics) {
    for (const partition of sortedPartitions(partitionsPerTopic.get(topic) ?? [])) {
      // Ends: the topic comes from some member's subscription.
      while (!members[turn % members.length].topics.includes(topic)) turn += 1;
      assignment.get(members[turn % members.length].memberId)?.push({ topic, partition });
      turn += 1;
    }
  }
  return assignment;
}
