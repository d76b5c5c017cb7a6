import { Partitioners, type ICustomPartitioner, type PartitionerArgs } from 'kafkajs';

/**
 * Wraps kafkajs's default (Java-compatible murmur2) partitioner to remember which partition
 * each message object went to. kafkajs answers a send with one base offset per partition;
 * knowing each message's partition turns that into one offset per message. A message keeps
 * its first partition across kafkajs's retries, so an unkeyed message is never written to
 * one partition and counted in another.
 */
export class KafkaPartitionRecorder {
  private readonly partitions = new WeakMap<object, number>();

  readonly createPartitioner: ICustomPartitioner = () => {
    const partition = Partitioners.DefaultPartitioner();
    return (args: PartitionerArgs): number => {
      const previous = this.partitions.get(args.message);
      if (
        previous !== undefined &&
        args.partitionMetadata.some(({ partitionId }) => partitionId === previous)
      ) {
        return previous;
      }
      const chosen = partition(args);
      this.partitions.set(args.message, chosen);
      return chosen;
    };
  };

  /** The partition the message object was last given, if it went through the partitioner. */
  partitionOf(message: object): number | undefined {
    return this.partitions.get(message);
  }
}
