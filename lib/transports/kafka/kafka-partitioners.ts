import { crc32 } from 'node:zlib';
import type { PartitionerArgs } from 'kafkajs';
import type { KafkaPartitioner } from './kafka-client-options.interface';
import { loadKafkaJs } from './kafkajs.loader';

/** The values of `kafka.partitioner`, the default first. */
export const KAFKA_PARTITIONERS: readonly KafkaPartitioner[] = ['murmur2', 'crc32'];

/** One producer's partitioner, as kafkajs calls it for each message. */
export type KafkaPartitionFunction = (args: PartitionerArgs) => number;

/**
 * Where a keyed message goes, so that it lands where the peers sharing the topic put the key:
 * - `murmur2`: kafkajs's `DefaultPartitioner`, the Java client's placement (and kafka-python's,
 *   so the Python client's): `(murmur2(key) & 0x7fffffff) % partitionCount`.
 * - `crc32`: librdkafka's default `consistent_random` (the Rust client's):
 *   `crc32(key) % partitionCount`, the IEEE CRC-32 of the UTF-8 key read as unsigned, over
 *   every partition of the topic whether or not it has a leader, as librdkafka counts them.
 * Both count the same partitions, so only the hash differs. An unkeyed message is spread over
 * the partitions that have a leader either way; no peer pins it, so nothing is lost by not
 * copying librdkafka's sticky choice.
 */
export function createKafkaPartitioner(partitioner: KafkaPartitioner): KafkaPartitionFunction {
  const javaCompatible = loadKafkaJs().Partitioners.DefaultPartitioner();
  if (partitioner === 'murmur2') return javaCompatible;
  return (args) => {
    const { key, partition } = args.message;
    if (partition !== undefined && partition !== null) return partition;
    if (key === undefined || key === null) return javaCompatible(args);
    return crc32(key) % args.partitionMetadata.length;
  };
}
