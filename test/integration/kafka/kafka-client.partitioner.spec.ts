import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaPartitioner } from '../../../lib/index';
import { KafkaClient } from '../../../lib/transports/kafka/kafka.client';
import { uniqueName } from '../../support/broker-environment';
import { produceWithJavaClient } from './java-keyed-producer';
import {
  assertKcatInstalled,
  createTopic,
  kcat,
  paymentMessage,
  plaintextClient,
} from './kafka-test-support';

/**
 * Account-like keys plus keys that exercise the hashes' edges: 1, 2 and 3 trailing bytes,
 * multi-byte UTF-8 (bytes ≥ 0x80, where a signed-byte slip would show), a long key, and keys
 * whose CRC-32 has its top bit set (a signed reading would give a negative partition).
 */
const KEYS = [
  ...Array.from({ length: 10 }, (_, index) => `acct-${index}`),
  'x',
  'ab',
  'abc',
  'user-123',
  'P-2026-000017',
  'account 42',
  'Zoë-Ünal',
  'José Müller',
  '日本-口座',
  'ÿÿÿÿ',
  '3f2c9a1e-8b7d-4c6e-9f0a-1b2c3d4e5f60',
  'a-much-longer-account-key-with-39-bytes',
];
const PARTITION_COUNTS = [3, 6, 12];

type Producer = 'java' | 'kcat' | KafkaPartitioner;

/** Every record of a topic as `producer → key → partition`, read back from the broker with kcat. */
async function partitionsOnTheBroker(topic: string): Promise<Map<Producer, Map<string, number>>> {
  const text = await kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p\t%k\t%s\n']);
  const found = new Map<Producer, Map<string, number>>();
  for (const line of text.toString('utf8').split('\n')) {
    if (line === '') continue;
    const [partition, key, value] = line.split('\t');
    // Ours are bus envelopes whose external_reference names the partitioner; the peers wrote a word.
    const producer = (
      value.startsWith('{') ? /"external_reference": "P-(murmur2|crc32)-/.exec(value)?.[1] : value
    ) as Producer;
    if (!found.has(producer)) found.set(producer, new Map());
    const byKey = found.get(producer)!;
    expect(byKey.has(key), `${producer} wrote ${key} to ${topic} once`).toBe(false);
    byKey.set(key, Number(partition));
  }
  return found;
}

describe('kafka.partitioner: a key lands where the peer producing to the topic puts it', () => {
  const topics = new Map<number, string>();
  const sent = new Map<string, Map<string, number>>();
  let placed: Map<number, Map<Producer, Map<string, number>>>;
  let murmur2Client: KafkaClient;
  let crc32Client: KafkaClient;

  beforeAll(async () => {
    await assertKcatInstalled();
    // The default partitioner is murmur2: the client left unset is the murmur2 one.
    murmur2Client = plaintextClient();
    crc32Client = plaintextClient({ partitioner: 'crc32' });
    for (const count of PARTITION_COUNTS) {
      const topic = uniqueName(`kafka-partitioner-${count}`);
      await createTopic(murmur2Client, topic, count);
      topics.set(count, topic);
    }

    // The peers: the Java client's default partitioner, and librdkafka's consistent_random (kcat).
    const javaRecords = [...topics.values()].flatMap((topic) =>
      KEYS.map((key) => ({ topic, key, value: 'java' })),
    );
    const javaPartitions = await produceWithJavaClient(javaRecords);
    for (const topic of topics.values()) {
      await kcat(
        ['-P', '-t', topic, '-K', '\t', '-X', 'partitioner=consistent_random'],
        KEYS.map((key) => `${key}\tkcat\n`).join(''),
      );
    }

    // This library, with each setting, on the same topics.
    for (const [partitioner, client] of [
      ['murmur2', murmur2Client],
      ['crc32', crc32Client],
    ] as const) {
      for (const topic of topics.values()) {
        const results = await client.sendMessages(
          KEYS.map((key, index) => ({
            message: paymentMessage(`${partitioner}-${index}`),
            key,
          })),
          topic,
        );
        sent.set(
          `${partitioner}/${topic}`,
          new Map(KEYS.map((key, i) => [key, results[i].partition])),
        );
      }
    }

    placed = new Map();
    for (const [count, topic] of topics) placed.set(count, await partitionsOnTheBroker(topic));
    // Sanity of the peers' own records: the Java client's acks agree with what kcat reads back.
    javaRecords.forEach(({ topic, key }, index) => {
      const count = PARTITION_COUNTS.find((candidate) => topics.get(candidate) === topic)!;
      expect(placed.get(count)?.get('java')?.get(key)).toBe(javaPartitions[index]);
    });
  });

  afterAll(async () => {
    await Promise.all([murmur2Client?.close(), crc32Client?.close()]);
  });

  it.each(PARTITION_COUNTS)(
    'every producer wrote every key once to the %i-partition topic',
    (count) => {
      const byProducer = placed.get(count)!;
      for (const producer of ['java', 'kcat', 'murmur2', 'crc32'] as const) {
        expect([...(byProducer.get(producer)?.keys() ?? [])].sort(), producer).toEqual(
          [...KEYS].sort(),
        );
      }
    },
  );

  it.each(PARTITION_COUNTS)(
    'the peers disagree on some keys of the %i-partition topic, so a wrong setting would show',
    (count) => {
      const byProducer = placed.get(count)!;
      const differing = KEYS.filter(
        (key) => byProducer.get('java')!.get(key) !== byProducer.get('kcat')!.get(key),
      );
      expect(differing.length).toBeGreaterThan(0);
    },
  );

  /** Which peer each setting must agree with: murmur2 (the default) with Java, crc32 with librdkafka. */
  const MATCHES = PARTITION_COUNTS.flatMap(
    (count) =>
      [
        { partitioner: 'murmur2', peer: 'java', count },
        { partitioner: 'crc32', peer: 'kcat', count },
      ] as const,
  );

  it.each(MATCHES)(
    '$partitioner puts each key on the partition $peer puts it on, $count partitions',
    ({ partitioner, peer, count }) => {
      const byProducer = placed.get(count)!;
      expect(Object.fromEntries(byProducer.get(partitioner)!)).toEqual(
        Object.fromEntries(byProducer.get(peer)!),
      );
    },
  );

  it('reports the partition each message was written to', () => {
    for (const [count, topic] of topics) {
      for (const partitioner of ['murmur2', 'crc32'] as const) {
        expect(Object.fromEntries(sent.get(`${partitioner}/${topic}`)!)).toEqual(
          Object.fromEntries(placed.get(count)!.get(partitioner)!),
        );
      }
    }
  });
});
