import { Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkaPartitionRecorder } from '../../../../lib/transports/kafka/kafka-partition-recorder';
import { partitionMetadata as metadata } from './kafka-fakes';

describe('KafkaPartitionRecorder', () => {
  it('gives keyed messages the partition kafkajs (and Java) would, and remembers it', () => {
    const recorder = new KafkaPartitionRecorder();
    const partition = recorder.createPartitioner();
    const reference = Partitioners.DefaultPartitioner();
    const message = { key: 'user-123', value: 'v' };
    const chosen = partition({ topic: 't', partitionMetadata: metadata(6), message });
    expect(chosen).toBe(
      reference({
        topic: 't',
        partitionMetadata: metadata(6),
        message: { key: 'user-123', value: 'v' },
      }),
    );
    expect(recorder.partitionOf(message)).toBe(chosen);
  });

  it('keeps an unkeyed message on its first partition when kafkajs partitions it again on a retry', () => {
    const recorder = new KafkaPartitionRecorder();
    const partition = recorder.createPartitioner();
    const messages = Array.from({ length: 6 }, (_, index) => ({ value: `m${index}` }));
    const first = messages.map((message) =>
      partition({ topic: 't', partitionMetadata: metadata(3), message }),
    );
    const retry = messages.map((message) =>
      partition({ topic: 't', partitionMetadata: metadata(3), message }),
    );
    expect(retry).toEqual(first);
    expect(messages.map((message) => recorder.partitionOf(message))).toEqual(first);
  });

  it('places keys with the partitioner it was given', () => {
    const message = { key: 'acct-0', value: 'v' };
    const partition = new KafkaPartitionRecorder('crc32').createPartitioner();
    // CRC-32("acct-0") % 6 is 1; murmur2 would say 0 (peer-models.md §5.3).
    expect(partition({ topic: 't', partitionMetadata: metadata(6), message })).toBe(1);
    const murmur2 = new KafkaPartitionRecorder('murmur2').createPartitioner();
    expect(murmur2({ topic: 't', partitionMetadata: metadata(6), message: { ...message } })).toBe(
      0,
    );
  });

  it('knows nothing of a message it never saw', () => {
    expect(new KafkaPartitionRecorder().partitionOf({ value: 'x' })).toBeUndefined();
  });
});
