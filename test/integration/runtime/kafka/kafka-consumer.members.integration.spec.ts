import type { TestingModule } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTopics,
  producePayments,
  sleep,
  startBusApp,
  statusOf,
  uniqueName,
  waitUntil,
  type HandlerCall,
} from './kafka-runtime-kit';

interface Call extends HandlerCall {
  readonly finishedAt: number;
}

const topic = uniqueName('kafka-members');
const groupId = uniqueName('kafka-members-group');
const calls: Call[] = [];
const started = new Set<string>();
const SLOW_MS = 3_000;
let app: TestingModule;

const handledAll = (prefix: string, count: number): boolean =>
  calls.filter((call) => call.reference.startsWith(prefix)).length >= count;

describe('KafkaConsumer: members, so that a slow handler holds up its own partition only', () => {
  beforeAll(async () => {
    await createTopics(topic, 3);
    app = await startBusApp({
      consumer: { topic, groupId, members: 3 },
      behaviour: async (payload, context) => {
        const delivery = context.getDelivery();
        const at = Date.now();
        started.add(payload.reference);
        if (payload.reference === 'slow') await sleep(SLOW_MS);
        calls.push({
          reference: payload.reference,
          attempt: context.getAttempt(),
          at,
          finishedAt: Date.now(),
          partition: delivery.partition as number,
          offset: Number(delivery.offset),
        });
      },
    });
    // Every member has its partition once a message on each of many keys has been handled.
    await producePayments(
      topic,
      Array.from({ length: 12 }, (_, index) => ({
        reference: `warm-${index}`,
        key: `warm-key-${index}`,
      })),
    );
    await waitUntil(
      () => handledAll('warm-', 12),
      30_000,
      () => `${calls.length} warm-ups handled`,
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  it('keeps fetching and handling the other partitions while one handler runs long', async () => {
    await producePayments(topic, [{ reference: 'slow', key: 'slow-key' }]);
    await waitUntil(
      () => started.has('slow'),
      20_000,
      () => 'slow handler started',
    );
    const others = Array.from({ length: 30 }, (_, index) => ({
      reference: `other-${index}`,
      key: `other-key-${index}`,
    }));
    await producePayments(topic, others);
    await waitUntil(
      () => handledAll('slow', 1) && handledAll('other-', 30),
      30_000,
      () => `${calls.length} handled`,
    );

    const slow = calls.find((call) => call.reference === 'slow') as Call;
    const elsewhere = calls.filter(
      (call) => call.reference.startsWith('other-') && call.partition !== slow.partition,
    );
    expect(elsewhere.length).toBeGreaterThan(0);
    // Produced while the slow handler ran, and handled before it finished.
    expect(elsewhere.every((call) => call.finishedAt < slow.finishedAt)).toBe(true);

    const status = statusOf(app);
    expect(status).toMatchObject({
      name: `kafka:${topic} (${groupId})`,
      state: 'running',
      handled: 43,
      deadLettered: 0,
    });
  });
});
