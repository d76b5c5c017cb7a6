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
