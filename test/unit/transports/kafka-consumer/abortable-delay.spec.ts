import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  abortableDelay,
  backoffDelay,
} from '../../../../lib/transports/kafka/consumer/abortable-delay';

describe('abortableDelay', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves true once the time has passed, not before', async () => {
    let result: boolean | undefined;
    void abortableDelay(200, new AbortController().signal).then((value) => (result = value));

    await vi.advanceTimersByTimeAsync(199);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toBe(true);
  });

  it('resolves false as soon as the signal aborts, and at once for an aborted signal', async () => {
    const controller = new AbortController();
    const waiting = abortableDelay(60_000, controller.signal);
    controller.abort();

    await expect(waiting).resolves.toBe(false);
    await expect(abortableDelay(10, controller.signal)).resolves.toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, jittered within the upper half', () => {
    for (let i = 0; i < 200; i += 1) {
      expect(backoffDelay(1, 500, 30_000)).toBeGreaterThanOrEqual(250);
      expect(backoffDelay(1, 500, 30_000)).toBeLessThanOrEqual(500);
      expect(backoffDelay(3, 500, 30_000)).toBeGreaterThanOrEqual(1_000);
      expect(backoffDelay(3, 500, 30_000)).toBeLessThanOrEqual(2_000);
      expect(backoffDelay(20, 500, 30_000)).toBeGreaterThanOrEqual(15_000);
      expect(backoffDelay(20, 500, 30_000)).toBeLessThanOrEqual(30_000);
    }
  });
});
