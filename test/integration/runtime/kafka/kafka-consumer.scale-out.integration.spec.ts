import type { TestingModule } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTopics,
  producePayments,
  sleep,
  startBusApp,
  statusOf,
  uniqueName,
  waitUntil,
} from './kafka-runtime-kit';

describe('KafkaConsumer: scale-out', () => {
  const apps: TestingModule[] = [];

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('shares the partitions between two app instances of one group, each message handled by exactly one', async () => {
    const topic = uniqueName('kafka-scale');
    const groupId = uniqueName('kafka-scale-group');
    await createTopics(topic, 6);
    const handled = new Map<string, Array<{ reference: string; partition: number }>>([
      ['a', []],
      ['b', []],
    ]);
    const inProgress = new Set<string>();
    let violations = 0;
    for (const name of ['a', 'b']) {
      apps.push(
        await startBusApp({
          consumer: { topic, groupId, partitionsConcurrency: 6 },
          behaviour: async (payment, context) => {
            if (inProgress.has(payment.reference)) violations += 1;
            inProgress.add(payment.reference);
            await sleep(5);
            inProgress.delete(payment.reference);
            handled.get(name)?.push({
              reference: payment.reference,
              partition: context.getDelivery().partition as number,
            });
          },
        }),
      );
    }

    const references = Array.from({ length: 120 }, (_, index) => `s-${index}`);
    await producePayments(
      topic,
      references.map((reference, index) => ({ reference, key: `key-${index % 24}` })),
    );
    const total = (): number => handled.get('a')!.length + handled.get('b')!.length;
    await waitUntil(
      () => total() >= 120,
      30_000,
      () => `${total()} of 120 handled`,
    );
    await sleep(500);

    const [a, b] = [handled.get('a')!, handled.get('b')!];
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    expect([...a, ...b].map((entry) => entry.reference).sort()).toEqual([...references].sort());
    const partitionsOfA = new Set(a.map((entry) => entry.partition));
    expect(b.filter((entry) => partitionsOfA.has(entry.partition))).toEqual([]);
    expect(violations).toBe(0);
    expect(apps.map((app) => statusOf(app).handled)).toEqual([a.length, b.length]);
    expect(apps.map((app) => statusOf(app).state)).toEqual(['running', 'running']);
  });

  it('rebalances mid-stream when a member joins: the busy member finishes and commits its messages, none is lost or handled twice', async () => {
    const topic = uniqueName('kafka-rebalance');
    const groupId = uniqueName('kafka-rebalance-group');
    await createTopics(topic, 4);
    const handledBy = new Map<string, string[]>();
    const inProgress = new Set<string>();
    let violations = 0;
    const behaviour = (name: string) => async (payment: { reference: string }) => {
      if (inProgress.has(payment.reference)) violations += 1;
      inProgress.add(payment.reference);
      await sleep(25);
      inProgress.delete(payment.reference);
      handledBy.set(payment.reference, [...(handledBy.get(payment.reference) ?? []), name]);
    };
    const consumer = { topic, groupId, partitionsConcurrency: 4 };
    apps.push(await startBusApp({ consumer, behaviour: behaviour('a') }));
    const references = Array.from({ length: 160 }, (_, index) => `r-${index}`);
    await producePayments(
      topic,
      references.map((reference, index) => ({ reference, key: `key-${index % 16}` })),
    );
    await waitUntil(
      () => handledBy.size >= 20,
      20_000,
      () => `${handledBy.size} handled before the second member`,
    );

    apps.push(await startBusApp({ consumer, behaviour: behaviour('b') }));
    await waitUntil(
      () => references.every((reference) => handledBy.has(reference)),
      30_000,
      () => `${handledBy.size} of 160 handled`,
    );
    await sleep(500);

    expect([...handledBy.keys()].sort()).toEqual([...references].sort());
    expect([...handledBy.values()].some((names) => names.includes('b'))).toBe(true);
    expect([...handledBy.entries()].filter(([, names]) => names.length > 1)).toEqual([]);
    expect(violations).toBe(0);
  });
});
