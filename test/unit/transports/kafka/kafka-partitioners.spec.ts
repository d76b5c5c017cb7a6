import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createKafkaPartitioner } from '../../../../lib/transports/kafka/kafka-partitioners';

const metadata = (count: number, leaderless: readonly number[] = []): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
  }));

const place = (partitioner: 'murmur2' | 'crc32', key: string | Buffer, count: number) =>
  createKafkaPartitioner(partitioner)({
    topic: 't',
    partitionMetadata: metadata(count),
    message: { key, value: 'v' },
  });

/**
 * The worked example of peer-models.md §5.3, checked there on live 4- and 6-partition topics
 * with the Python (murmur2) and Rust (librdkafka consistent_random, CRC-32) producers.
 */
const PEER_PLACEMENT = [
  { key: 'acct-0', python: { 4: 0, 6: 0 }, rust: { 4: 3, 6: 1 } },
  { key: 'acct-1', python: { 4: 2, 6: 2 }, rust: { 4: 1, 6: 1 } },
  { key: 'acct-2', python: { 4: 3, 6: 5 }, rust: { 4: 3, 6: 3 } },
  { key: 'acct-3', python: { 4: 3, 6: 5 }, rust: { 4: 1, 6: 1 } },
] as const;

describe('createKafkaPartitioner', () => {
  it.each(PEER_PLACEMENT)('murmur2 places $key where the Python client does', (row) => {
    expect(place('murmur2', row.key, 4)).toBe(row.python[4]);
    expect(place('murmur2', row.key, 6)).toBe(row.python[6]);
  });

  it.each(PEER_PLACEMENT)('crc32 places $key where the Rust client does', (row) => {
    expect(place('crc32', row.key, 4)).toBe(row.rust[4]);
    expect(place('crc32', row.key, 6)).toBe(row.rust[6]);
  });

  it('crc32 reads the CRC-32 as unsigned: a key whose CRC has the top bit set stays in range', () => {
    // CRC-32("acct-0") = 0xd06082e3 (3495985891); as a signed int it is negative.
    expect(3495985891 % 12).toBe(7);
    expect(place('crc32', 'acct-0', 12)).toBe(7);
    expect(place('crc32', 'acct-0', 5)).toBe(3495985891 % 5);
  });

  it('crc32 hashes the UTF-8 bytes of the key: a string and its Buffer go to one partition', () => {
    // CRC-32 check value of the IEEE polynomial: "123456789" → 0xcbf43926.
    expect(place('crc32', '123456789', 1000)).toBe(0xcbf43926 % 1000);
    for (const key of ['Zoë-Ünal', '日本-口座', 'a']) {
      for (const count of [3, 6, 12]) {
        expect(place('crc32', key, count)).toBe(place('crc32', Buffer.from(key, 'utf8'), count));
      }
    }
  });

  it('murmur2 is exactly kafkajs DefaultPartitioner (the Java client placement) for keyed messages', () => {
    const reference = Partitioners.DefaultPartitioner();
    for (const key of ['acct-0', 'Zoë-Ünal', 'x', 'a-much-longer-account-key-0123456789']) {
      for (const count of [3, 6, 12]) {
        expect(place('murmur2', key, count)).toBe(
          reference({
            topic: 't',
            partitionMetadata: metadata(count),
            message: { key, value: '' },
          }),
        );
      }
    }
  });

  it('the two differ for some keys, so choosing one matters', () => {
    const keys = Array.from({ length: 10 }, (_, index) => `acct-${index}`);
    expect(keys.some((key) => place('crc32', key, 6) !== place('murmur2', key, 6))).toBe(true);
  });

  it('crc32 counts every partition, even one without a leader, as librdkafka does', () => {
    const partition = createKafkaPartitioner('crc32');
    const args = {
      topic: 't',
      partitionMetadata: metadata(6, [1, 3]),
      message: { key: 'acct-1', value: '' },
    };
    expect(partition(args)).toBe(1);
  });

  it('crc32 keeps an explicit partition and spreads unkeyed messages over partitions with a leader', () => {
    const partition = createKafkaPartitioner('crc32');
    expect(
      partition({
        topic: 't',
        partitionMetadata: metadata(6),
        message: { key: 'k', value: '', partition: 4 },
      }),
    ).toBe(4);
    const chosen = new Set(
      Array.from({ length: 12 }, () =>
        partition({
          topic: 't',
          partitionMetadata: metadata(3, [1]),
          message: { value: '', key: null },
        }),
      ),
    );
    expect([...chosen].sort()).toEqual([0, 2]);
  });
});
