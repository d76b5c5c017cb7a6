import type { TestingModule } from '@nestjs/testing';
import { afterAll, describe, expect, it } from 'vitest';
import {
  committedOffsets,
  createTopics,
  producePayments,
  statusOf,
  uniqueName,
  waitUntil,
  type HandlerCall,
} from '../kafka/kafka-runtime-kit';
import { recording, startRetryApp, type HandlerHost } from './kafka-retry-kit';

const COUNT = 2_000;
const KEYS = 40;
const failsFirst = (index: number): boolean => index % 10 === 3;
const apps: TestingModule[] = [];

afterAll(async () => {
  for (const app of apps) await app.close();
});

/**
 * The blocking (default) mode with retry delays shorter than `kafka.maxWaitTimeMs` (100 ms in
 * these suites): each retry is waited out in the batch, the message handled again at once,
 * without pausing the partition and fetching it again.
 */
describe.each<HandlerHost>(['provider', 'controller'])(
  'KafkaConsumer ordered retries in process (handler on a %s)',
  (host) => {
    it('handles a 10 %-failing run far faster than a refetch per retry allows, keeping per-key order', async () => {
      const topic = uniqueName('kafka-retry-ordered');
      const groupId = uniqueName('kafka-retry-ordered-group');
      await createTopics(topic, 6);
      await producePayments(
        topic,
        Array.from({ length: COUNT }, (_, index) => ({
          reference: `m-${index}`,
          key: `key-${index % KEYS}`,
        })),
      );
      const calls: HandlerCall[] = [];
      const app = await startRetryApp(
        // delayAfter(1) is 10–20 ms.
        { topic, groupId, partitionsConcurrency: 6, retry: { maxAttempts: 3, initialDelayMs: 20 } },
        recording(calls, (reference, attempt) => {
          return failsFirst(Number(reference.slice(2))) && attempt === 1;
        }),
        host,
      );
      apps.push(app);
      const started = Date.now();
      const failures = COUNT / 10;
      await waitUntil(
        () => calls.length >= COUNT + failures,
        60_000,
        () => `every message handled (calls: ${calls.length})`,
      );
      const elapsed = Date.now() - started;

      // A retry through a pause comes back only with a later fetch, which waits for the other
      // partitions' fetch (up to 100 ms here) on top of its delay: this run took 11 s that way on
      // the 2-core test machine under load. In process each retry costs its delay (at most
      // 20 ms: 0.7 s per partition); measured 3.7–4.2 s under the same load. The bound sits
      // between, with room for a slower machine.
      expect(elapsed).toBeLessThan(7_000);
      expect(statusOf(app)).toMatchObject({ handled: COUNT, retried: failures, deadLettered: 0 });

      // Per key, messages ran in order, and none started before the one before it succeeded.
      const byKey = new Map<number, HandlerCall[]>();
      for (const call of calls) {
        const index = Number(call.reference.slice(2));
        const list = byKey.get(index % KEYS) ?? [];
        list.push(call);
        byKey.set(index % KEYS, list);
      }
      for (const list of byKey.values()) {
        const order = list.map((call) => Number(call.reference.slice(2)));
        expect(order).toEqual([...order].sort((a, b) => a - b));
      }
      for (let index = 0; index < COUNT; index += 1) {
        const attempts = calls
          .filter((call) => call.reference === `m-${index}`)
          .map((call) => call.attempt);
        expect(attempts).toEqual(failsFirst(index) ? [1, 2] : [1]);
      }
    });
  },
);

describe('KafkaConsumer ordered retry in process, at shutdown', () => {
  it('ends the wait at once on stop(): what settled before is committed, the waiting message is delivered again', async () => {
    const topic = uniqueName('kafka-retry-ordered-stop');
    const groupId = uniqueName('kafka-retry-ordered-stop-group');
    await createTopics(topic, 1);
    const calls: HandlerCall[] = [];
    // maxWaitTimeMs 2 000: the 1–2 s delay after the first attempt is waited out in process.
    const consumer = { topic, groupId, retry: { maxAttempts: 5, initialDelayMs: 2_000 } };
    const kafka = { maxWaitTimeMs: 2_000 };
    const failing = recording(calls, (reference) => reference === 'waits');
    const first = await startRetryApp(consumer, failing, 'controller', kafka);
    await producePayments(topic, [
      { reference: 'before', key: 'k' },
      { reference: 'waits', key: 'k' },
    ]);
    await waitUntil(
      () => calls.some((call) => call.reference === 'waits'),
      20_000,
      () => `waits tried (calls: ${JSON.stringify(calls)})`,
    );
    const stopping = Date.now();
    await first.close();
    expect(Date.now() - stopping).toBeLessThan(900);
    expect(calls.filter((call) => call.reference === 'waits')).toHaveLength(1);
    expect((await committedOffsets(groupId, topic)).get(0)).toBe(1);

    const second = await startRetryApp(
      consumer,
      recording(calls, () => false),
      'provider',
      kafka,
    );
    apps.push(second);
    await waitUntil(
      () => calls.filter((call) => call.reference === 'waits').length === 2,
      20_000,
      () => `waits delivered again (calls: ${JSON.stringify(calls)})`,
    );
    expect(calls.map((call) => `${call.reference}#${call.attempt}`)).toEqual([
      'before#1',
      'waits#1',
      'waits#1',
    ]);
  });
});
