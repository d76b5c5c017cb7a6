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
export const RANGE_ASSIGNER_NAME = 'range';

/**
 * The `range` strategy, as the Java client's `RangeAssignor` (without racks), librdkafka's and
 * kafka-python's deal it: topic by topic, the topic's partitions in ascending order are cut into
 * consecutive ranges, one per member subscribed to it in member order; each member gets
 * `floor(n / m)` partitions and the first `n % m` members one more. A topic the leader has no
 * metadata for is left out, as Java leaves it.
 */
export function assignRange(
  subscriptions: readonly GroupSubscription[],
  partitionsPerTopic: PartitionsPerTopic,
): GroupAssignment {
  const assignment = emptyAssignment(subscriptions);
  const topics = [...partitionsPerTopic.keys()].sort(compareStrings);
  for (const topic of topics) {
    const members = subscriptions
      .filter((subscription) => subscription.topics.includes(topic))
      .sort(compareMembers);
    if (members.length === 0) continue;
    const partitions = sortedPartitions(partitionsPerTopic.get(topic) ?? []);
    const each = Math.floor(partitions.length / members.length);
    const withOneMore = partitions.length % members.length;
    members.forEach(({ memberId }, index) => {
      const start = each * index + Math.min(index, withOneMore);
      const count = each + (index < withOneMore ? 1 : 0);
      const given = assignment.get(memberId);
      for (const partition of partitions.slice(start, start + count)) {
        given?.push({ topic, partition });
      }
    });
  }
  return assignment;
}
