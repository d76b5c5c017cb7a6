import { describe, expect, it } from 'vitest';
import { InFlightLimiter } from '../../../../lib/transports/sqs/consumer/in-flight-limiter';

describe('InFlightLimiter', () => {
  it('grants no more than the free slots, so a receive never asks for more than fits', async () => {
    const limiter = new InFlightLimiter(25);

    expect(await limiter.acquireUpTo(10)).toBe(10);
    expect(await limiter.acquireUpTo(10)).toBe(10);
    expect(await limiter.acquireUpTo(10)).toBe(5);
    expect(limiter.free).toBe(0);
  });

  it('lets concurrency exceed the receive batch size', async () => {
    const limiter = new InFlightLimiter(100);
    let granted = 0;
    for (let i = 0; i < 10; i += 1) granted += await limiter.acquireUpTo(10);
    expect(granted).toBe(100);
  });

  it('waits while every slot is taken and wakes when one is released', async () => {
    const limiter = new InFlightLimiter(2);
    await limiter.acquireUpTo(10);
    let granted: number | undefined;
    const waiting = limiter.acquireUpTo(10).then((count) => (granted = count));

    await Promise.resolve();
    expect(granted).toBeUndefined();
    limiter.release(1);
    await waiting;

    expect(granted).toBe(1);
    expect(limiter.inUse).toBe(2);
  });

  it('resolves 0 for a waiting poller when its signal aborts', async () => {
    const limiter = new InFlightLimiter(1);
    await limiter.acquireUpTo(1);
    const abort = new AbortController();
    const waiting = limiter.acquireUpTo(10, abort.signal);

    abort.abort();

    await expect(waiting).resolves.toBe(0);
    expect(limiter.inUse).toBe(1);
  });
});

describe('InFlightLimiter after a wait', () => {
  it('takes every slot freed in the same turn of the event loop, so one receive asks for them all', async () => {
    const limiter = new InFlightLimiter(10);
    await limiter.acquireUpTo(10);
    const waiting = limiter.acquireUpTo(10);

    // The messages of one receive settle one microtask after another.
    for (let i = 0; i < 4; i += 1) {
      await Promise.resolve();
      limiter.release(1);
    }

    await expect(waiting).resolves.toBe(4);
    expect(limiter.inUse).toBe(10);
  });

  it('waits again when another poller took the freed slots first', async () => {
    const limiter = new InFlightLimiter(2);
    await limiter.acquireUpTo(2);
    const first = limiter.acquireUpTo(10);
    const second = limiter.acquireUpTo(10);
    limiter.release(1);

    await expect(first).resolves.toBe(1);
    let secondGranted: number | undefined;
    void second.then((count) => (secondGranted = count));
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondGranted).toBeUndefined();
    limiter.release(1);
    await expect(second).resolves.toBe(1);
  });
});
