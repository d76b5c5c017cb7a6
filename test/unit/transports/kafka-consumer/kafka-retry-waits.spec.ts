import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KafkaRetryWaits } from '../../../../lib/transports/kafka/consumer/kafka-retry-waits';
import { useFakeClock } from '../../../support/fake-clock';

function setup() {
  const resumed: number[] = [];
  const waits = new KafkaRetryWaits((partition) => resumed.push(partition));
  return { waits, resumed };
}

describe('KafkaRetryWaits', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resumes the partition once the delay has passed, and not before', async () => {
    const { waits, resumed } = setup();
    waits.wait(2, '40', 1, 40);

    await vi.advanceTimersByTimeAsync(39);
    expect(resumed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(resumed).toEqual([2]);
    expect(waits.size).toBe(1);
    // Once: the wait does not resume the partition again.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(resumed).toEqual([2]);
  });

  it('gives the waiting offset its next attempt, any other offset attempt 1, and then forgets the wait', () => {
    const { waits, resumed } = setup();
    waits.wait(0, '7', 2, 60_000);
    waits.wait(1, '9', 1, 60_000);

    expect(waits.attemptOf(0, '7')).toBe(3);
    expect(waits.attemptOf(0, '7')).toBe(1);
    expect(waits.attemptOf(1, '10')).toBe(1);
    expect(waits.attemptOf(3, '0')).toBe(1);
    expect(waits.size).toBe(0);
    expect(resumed).toEqual([]);
  });

  it('after a rebalance keeps the waits of the partitions still assigned and resumes the others at once', async () => {
    const { waits, resumed } = setup();
    waits.wait(0, '1', 1, 60_000);
    waits.wait(1, '2', 1, 60_000);
    waits.wait(2, '3', 1, 60_000);

    waits.keepOnly([1, 4]);

    expect(resumed.sort()).toEqual([0, 2]);
    expect(waits.size).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(resumed.sort()).toEqual([0, 1, 2]);
    expect(waits.attemptOf(1, '2')).toBe(2);
  });

  it('clears every wait without resuming when the consumer stops', async () => {
    const { waits, resumed } = setup();
    waits.wait(0, '1', 1, 5);
    waits.wait(1, '2', 1, 5);

    expect(waits.clear()).toBe(2);
    await vi.advanceTimersByTimeAsync(30);
    expect(resumed).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    expect(waits.size).toBe(0);
  });
});
