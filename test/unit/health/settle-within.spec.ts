import { describe, expect, it } from 'vitest';
import { settleWithin } from '../../../lib/health/settle-within';

describe('settleWithin', () => {
  it('gives the value of work that ends in time', async () => {
    await expect(settleWithin(async () => 42, 1_000)).resolves.toEqual({
      outcome: 'done',
      value: 42,
    });
  });

  it('gives the error of work that fails, without rejecting', async () => {
    const error = new Error('refused');
    await expect(
      settleWithin(async () => {
        throw error;
      }, 1_000),
    ).resolves.toEqual({ outcome: 'failed', error });
  });

  it('resolves at the deadline for work that never ends, and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const started = Date.now();
    const settled = await settleWithin((given) => {
      signal = given;
      return new Promise<never>(() => undefined);
    }, 50);
    expect(settled).toEqual({ outcome: 'timed-out' });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(signal?.aborted).toBe(true);
  });
});
