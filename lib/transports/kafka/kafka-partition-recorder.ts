import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';
import type { KafkaPartitioner } from './kafka-client-options.interface';
import { createKafkaPartitioner } from './kafka-partitioners';

/**
 * Wraps the configured partitioner (`kafka.partitioner`, Java-compatible murmur2 unless set)
 * to remember which partition each message object went to. kafkajs answers a send with one
 * base offset per partition; knowing each message's partition turns that into one offset per
 * message. A message keeps its first partition across kafkajs's retries, so an unkeyed message
 * is never written to one partition and counted in another.
 */
export class KafkaPartitionRecorder {
  private readonly partitions = new WeakMap<object, number>();

  constructor(private readonly partitioner: KafkaPartitioner = 'murmur2') {}

  readonly createPartitioner: ICustomPartitioner = () => {
    const partition = createKafkaPartitioner(this.partitioner);
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
