import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { IdempotencyBeginResult, IdempotencyStore } from 'nestjs-message-bus';
import { uniqueName } from '../../support/broker-environment';
import {
  KafkaIdempotencyHarness,
  MemoryIdempotencyHarness,
  paymentEventWith,
  paymentWith,
  redisStore,
  SqsIdempotencyHarness,
  type IdempotencyHarness,
} from './idempotency-kit';
import { RedisServerProcess } from './redis-server-process';

/**
 * Idempotent handling (issue 11) on the memory bus, real SQS and real Kafka, with the Redis
 * store on the repo's redis-server: however often one message arrives (published again,
 * redelivered after a failure, to two instances of the app on one queue or in one group),
 * each handler runs once for its key, and the duplicates are acknowledged and counted.
 */
const HARNESSES: Array<() => IdempotencyHarness> = [
  () => new MemoryIdempotencyHarness(),
  () => new SqsIdempotencyHarness(),
  () => new KafkaIdempotencyHarness(),
];

describe.each(HARNESSES.map((make) => ({ make, name: make().name })))(
  'idempotent handling on $name',
  ({ make }) => {
    let harness: IdempotencyHarness;

    beforeEach(async () => {
      harness = make();
      await harness.prepare();
    });

    afterEach(async () => {
      await harness.dispose();
    });

    it('runs the handler once for a message published three times (Redis store)', async () => {
      await harness.startApp({ store: redisStore(uniqueName('idem')) });
      const key = randomUUID();
      for (let copy = 0; copy < 3; copy += 1) await harness.send(paymentWith(key), copy);
      await harness.settled();

      expect(harness.ledger.callsOf('payment', key)).toHaveLength(1);
      expect(harness.total('handled')).toBe(1);
      expect(harness.total('duplicate')).toBe(2);
      expect(harness.total('deadLettered')).toBe(0);
    });

    it('runs the handler once for a message published twice (default memory store)', async () => {
      await harness.startApp({});
      const key = randomUUID();
      await harness.send(paymentWith(key));
      await harness.send(paymentWith(key));
      await harness.settled();

      expect(harness.ledger.callsOf('payment', key)).toHaveLength(1);
      expect(harness.total('duplicate')).toBe(1);
    });

    it('tracks each handler of an event: a redelivery after one failed runs only that one again', async () => {
      await harness.startApp({ store: redisStore(uniqueName('idem')) });
      const key = randomUUID();
      harness.ledger.define('notify', key, (call) => {
        if (call === 1) throw new Error('notification service down');
      });
      await harness.send(paymentEventWith(key));
      await harness.settled();

      // The redelivery ran `notify` again, not `book`, which had completed.
      expect(harness.ledger.callsOf('book', key)).toHaveLength(1);
      expect(harness.ledger.callsOf('notify', key)).toHaveLength(2);
      expect(harness.ledger.succeeded('notify', key)).toBe(1);
      expect(harness.total('retried')).toBe(1);
      expect(harness.total('handled')).toBe(1);

      // A later copy finds both keys completed: neither runs.
      await harness.send(paymentEventWith(key));
      await harness.settled();
      expect(harness.ledger.calls).toHaveLength(3);
      expect(harness.total('duplicate')).toBe(1);
    });

    it('a handler that fails once then succeeds runs twice and completes once', async () => {
      await harness.startApp({ store: redisStore(uniqueName('idem')) });
      const key = randomUUID();
      harness.ledger.define('payment', key, (call) => {
        if (call === 1) throw new Error('ledger locked');
      });
      await harness.send(paymentWith(key));
      await harness.settled();
      await harness.send(paymentWith(key));
      await harness.settled();

      const calls = harness.ledger.callsOf('payment', key);
      expect(calls.map((call) => call.outcome)).toEqual(['failed', 'succeeded']);
      expect(harness.total('retried')).toBe(1);
      expect(harness.total('handled')).toBe(1);
      expect(harness.total('duplicate')).toBe(1);
    });

    it('two app instances sharing the store get five copies: the handler runs once, never twice at once', async () => {
      const prefix = uniqueName('idem');
      await harness.startApp({ store: redisStore(prefix), pollMs: 50 });
      await harness.startApp({ store: redisStore(prefix), pollMs: 50 });
      const key = randomUUID();
      harness.ledger.define(
        'payment',
        key,
        () => new Promise((resolve) => setTimeout(resolve, 300)),
      );
      await Promise.all([0, 1, 2, 3, 4].map((copy) => harness.send(paymentWith(key), copy)));
      await harness.settled();

      expect(harness.ledger.callsOf('payment', key)).toHaveLength(1);
      expect(harness.total('handled')).toBe(1);
      expect(harness.total('duplicate')).toBe(4);
    });

    it('the Redis store restarted mid-run: no completed key runs again, and nothing is lost', async () => {
      const redis = await RedisServerProcess.start();
      try {
        const store = new FailureCountingStore(redisStore(uniqueName('idem'), redis.url));
        await harness.startApp({ store, pollMs: 50, leaseMs: 15_000 });
        const keys = Array.from({ length: 12 }, () => randomUUID());
        for (const key of keys) {
          harness.ledger.define(
            'payment',
            key,
            () => new Promise((resolve) => setTimeout(resolve, 150)),
          );
        }
        const [before, during] = [keys.slice(0, 6), keys.slice(6)];
        for (const [index, key] of before.entries()) await harness.send(paymentWith(key), index);
        await waitUntil(() => harness.ledger.calls.some((call) => call.outcome === 'succeeded'));
        // Half the keys arrive while Redis is down: their deliveries fail and are retried.
        await redis.restart(0, async () => {
          for (const [index, key] of during.entries()) await harness.send(paymentWith(key), index);
          // Well within the lease: Kafka's partitions may all wait on a completion meanwhile.
          await waitUntil(() => store.failures > 0 && harness.total('retried') > 0, 2_000).catch(
            () => undefined,
          );
        });
        // The store was down under running deliveries (begins refused, completions retried).
        expect(store.failures).toBeGreaterThan(0);
        await harness.settled(60_000);
        // Every key once more, after the restart: all are remembered.
        for (const [index, key] of keys.entries()) await harness.send(paymentWith(key), index);
        await harness.settled(60_000);

        for (const key of keys) {
          expect(
            harness.ledger.callsOf('payment', key),
            JSON.stringify(harness.ledger.callsOf('payment', key)),
          ).toHaveLength(1);
          expect(harness.ledger.succeeded('payment', key)).toBe(1);
        }
        expect(harness.total('handled')).toBe(keys.length);
        expect(harness.total('duplicate')).toBe(keys.length);
        expect(harness.total('deadLettered')).toBe(0);
      } finally {
        await harness.closeApps();
        await redis.stop();
      }
    });
  },
);

/** The store under test, counting the calls it refused. */
class FailureCountingStore implements IdempotencyStore {
  failures = 0;

  constructor(private readonly inner: IdempotencyStore) {}

  begin(key: string, owner: string, leaseMs: number): Promise<IdempotencyBeginResult> {
    return this.counted(this.inner.begin(key, owner, leaseMs));
  }

  complete(key: string, owner: string, ttlMs: number): Promise<void> {
    return this.counted(this.inner.complete(key, owner, ttlMs));
  }

  release(key: string, owner: string): Promise<void> {
    return this.counted(this.inner.release(key, owner));
  }

  async close(): Promise<void> {
    await this.inner.close?.();
  }

  private async counted<T>(call: Promise<T>): Promise<T> {
    try {
      return await call;
    } catch (error) {
      this.failures += 1;
      throw error;
    }
  }
}

async function waitUntil(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
