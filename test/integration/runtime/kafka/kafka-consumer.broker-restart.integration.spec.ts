import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TestingModule } from '@nestjs/testing';
import type { ConsumerStatus } from 'nestjs-message-bus';
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

const run = promisify(execFile);
const BROKERS_SCRIPT = resolve(__dirname, '../../../../scripts/brokers/brokers.sh');

/** Stops and starts the Kafka broker that brokers.sh runs (down waits for a clean shutdown, up until it answers). */
async function brokers(command: 'down' | 'up'): Promise<string> {
  const { stdout, stderr } = await run('bash', [BROKERS_SCRIPT, command, 'kafka'], {
    timeout: 150_000,
  });
  return `${stdout}${stderr}`;
}

describe('KafkaConsumer: broker restart', () => {
  let app: TestingModule | undefined;

  afterAll(async () => {
    await app?.close();
    // Leave the broker up for whatever runs next, even when the test failed half-way.
    await brokers('up');
  });

  it(
    'survives a Kafka restart mid-stream: reports reconnecting, comes back and loses nothing',
    { timeout: 180_000 },
    async () => {
      const topic = uniqueName('kafka-restart');
      const groupId = uniqueName('kafka-restart-group');
      await createTopics(topic, 3);
      const handled = new Map<string, number>();
      app = await startBusApp({
        consumer: { topic, groupId, partitionsConcurrency: 3 },
        behaviour: async (payment) => {
          await sleep(40);
          handled.set(payment.reference, (handled.get(payment.reference) ?? 0) + 1);
        },
      });
      const before = Array.from({ length: 90 }, (_, index) => `before-${index}`);
      await producePayments(
        topic,
        before.map((reference, index) => ({ reference, key: `key-${index % 9}` })),
      );
      await waitUntil(
        () => handled.size >= 15,
        20_000,
        () => `${handled.size} handled before the restart`,
      );

      const seen: ConsumerStatus[] = [];
      const watch = setInterval(() => seen.push(statusOf(app as TestingModule)), 50);
      try {
        const down = await brokers('down');
        expect(down).toMatch(/kafka: stopped/);
        await waitUntil(
          () => seen.some((status) => status.state === 'reconnecting'),
          60_000,
          () => `states seen: ${[...new Set(seen.map((s) => s.state))].join(', ')}`,
        );
        await brokers('up');
      } finally {
        clearInterval(watch);
      }
      const after = Array.from({ length: 30 }, (_, index) => `after-${index}`);
      // A broker that answers again may still be taking its partitions' leadership back: let
      // the (idempotent) producer retry for longer than its default second or so.
      await producePayments(
        topic,
        after.map((reference, index) => ({ reference, key: `key-${index % 9}` })),
        { sendRetries: 12 },
      );

      const all = [...before, ...after];
      await waitUntil(
        () => all.every((reference) => handled.has(reference)),
        90_000,
        () => `missing: ${all.filter((r) => !handled.has(r)).join(', ')}`,
      );
      await waitUntil(
        () => statusOf(app as TestingModule).state === 'running',
        30_000,
        () => JSON.stringify(statusOf(app as TestingModule)),
      );

      const reconnecting = seen.find((status) => status.state === 'reconnecting');
      expect(reconnecting?.lastError).toMatch(/Kafka|connect/i);
      expect(statusOf(app).lastError).toBeUndefined();
      expect([...handled.keys()].sort()).toEqual([...all].sort());
      // At least once: a message in flight during the restart may come twice, none more often.
      expect(Math.max(...handled.values())).toBeLessThanOrEqual(2);
    },
  );
});
