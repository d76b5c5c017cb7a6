import type { TestingModule } from '@nestjs/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createTopics,
  producePayments,
  sleep,
  startBusApp,
  statusOf,
  uniqueName,
  waitUntil,
} from './kafka-runtime-kit';

const KEYS = 12;
const PER_KEY = 25;

describe('KafkaConsumer: order and parallelism', () => {
  let app: TestingModule | undefined;

  afterAll(async () => {
    await app?.close();
  });

  it('handles partitions in parallel and each partition (so each key) strictly in order', async () => {
    const topic = uniqueName('kafka-order');
    const groupId = uniqueName('kafka-order-group');
    await createTopics(topic, 6);
    const seen = new Map<string, number[]>();
    const busyPartitions = new Map<number, number>();
    let running = 0;
    let mostAtOnce = 0;
    let overlapInPartition = 0;
    app = await startBusApp({
      consumer: {
        topic,
        groupId,
        partitionsConcurrency: 6,
        retry: { maxAttempts: 3, initialDelayMs: 200 },
      },
      behaviour: async (payment, context) => {
        const partition = context.getDelivery().partition as number;
        if ((busyPartitions.get(partition) ?? 0) > 0) overlapInPartition += 1;
        busyPartitions.set(partition, (busyPartitions.get(partition) ?? 0) + 1);
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await sleep(Math.floor(Math.random() * 8));
        const [key, sequence] = payment.reference.split('#');
        seen.set(key, [...(seen.get(key) ?? []), Number(sequence)]);
        running -= 1;
        busyPartitions.set(partition, (busyPartitions.get(partition) ?? 0) - 1);
      },
    });

    // Interleaved, as independent producers would write them.
    const entries = [];
    for (let sequence = 0; sequence < PER_KEY; sequence += 1) {
      for (let key = 0; key < KEYS; key += 1)
        entries.push({ reference: `key-${key}#${sequence}`, key: `key-${key}` });
    }
    await producePayments(topic, entries);

    const total = (): number => [...seen.values()].reduce((sum, list) => sum + list.length, 0);
    await waitUntil(
      () => total() >= KEYS * PER_KEY,
      30_000,
      () => `${total()} of ${KEYS * PER_KEY} handled`,
    );
    await sleep(300);

    const inOrder = Array.from({ length: PER_KEY }, (_, index) => index);
    for (let key = 0; key < KEYS; key += 1)
      expect(seen.get(`key-${key}`), `key-${key}`).toEqual(inOrder);
    expect(overlapInPartition).toBe(0);
    expect(mostAtOnce).toBeGreaterThan(1);
    expect(statusOf(app)).toMatchObject({
      state: 'running',
      handled: KEYS * PER_KEY,
      retried: 0,
      deadLettered: 0,
      inFlight: 0,
    });
  });
});
