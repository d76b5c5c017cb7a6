import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisIdempotencyStore } from '../../../lib/idempotency/redis-idempotency.store';
import { brokerVariable, uniqueName } from '../../support/broker-environment';
import { RedisServerProcess } from './redis-server-process';

/** The Redis store's transitions on the repo's real redis-server (REDIS_URL). */
describe('RedisIdempotencyStore', () => {
  const prefix = `${uniqueName('idem-store')}:`;
  const store = new RedisIdempotencyStore({ url: brokerVariable('REDIS_URL'), keyPrefix: prefix });
  const raw = new Redis(brokerVariable('REDIS_URL'));

  afterAll(async () => {
    await store.close();
    raw.disconnect();
  });

  it('free → in progress (SET PX under the prefix) → completed with its TTL', async () => {
    const key = randomUUID();
    expect(await store.begin(key, 'a', 5_000)).toEqual({ state: 'acquired' });
    const leased = await raw.pttl(prefix + key);
    expect(leased).toBeGreaterThan(4_000);
    expect(leased).toBeLessThanOrEqual(5_000);
    const busy = await store.begin(key, 'b', 5_000);
    expect(busy.state).toBe('in-progress');
    await store.complete(key, 'a', 60_000);
    expect(await raw.pttl(prefix + key)).toBeGreaterThan(59_000);
    expect(await store.begin(key, 'b', 5_000)).toEqual({ state: 'completed' });
  });

  it('release drops only its own in-progress mark, never a completed one', async () => {
    const key = randomUUID();
    await store.begin(key, 'a', 5_000);
    await store.release(key, 'someone-else');
    expect((await store.begin(key, 'b', 5_000)).state).toBe('in-progress');
    await store.release(key, 'a');
    expect(await store.begin(key, 'b', 5_000)).toEqual({ state: 'acquired' });
    await store.complete(key, 'b', 60_000);
    await store.release(key, 'b');
    expect(await store.begin(key, 'c', 5_000)).toEqual({ state: 'completed' });
  });

  it('a lease expires: the key can be taken again', async () => {
    const key = randomUUID();
    await store.begin(key, 'crashed', 300);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await store.begin(key, 'b', 5_000)).toEqual({ state: 'acquired' });
  });

  it('exactly one of many concurrent begins acquires a key', async () => {
    const key = randomUUID();
    const others = Array.from(
      { length: 10 },
      () => new RedisIdempotencyStore({ url: brokerVariable('REDIS_URL'), keyPrefix: prefix }),
    );
    try {
      const results = await Promise.all(
        others.map((other, index) => other.begin(key, `owner-${index}`, 5_000)),
      );
      expect(results.filter((result) => result.state === 'acquired')).toHaveLength(1);
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
  });

  it('a server that is down makes every call reject quickly, and calls work again once it is back', async () => {
    const server = await RedisServerProcess.start();
    const flaky = new RedisIdempotencyStore({ url: server.url, keyPrefix: prefix });
    try {
      const key = randomUUID();
      expect(await flaky.begin(key, 'a', 60_000)).toEqual({ state: 'acquired' });
      await server.restart(0, async () => {
        const started = Date.now();
        await expect(flaky.begin(randomUUID(), 'a', 5_000)).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(5_000);
      });
      // The append-only file kept the mark across the restart.
      const deadline = Date.now() + 10_000;
      for (;;) {
        try {
          expect((await flaky.begin(key, 'b', 5_000)).state).toBe('in-progress');
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    } finally {
      await flaky.close();
      await server.stop();
    }
  });
});
