import { describe, expect, it } from 'vitest';
import {
  consumerHealthOf,
  isConsumerAlive,
  isConsumerReady,
} from '../../../lib/health/consumer-health';
import type { ConsumerState, ConsumerStatus } from '../../../lib/transports/transport.interface';

function status(state: string, extra: Partial<ConsumerStatus> = {}): ConsumerStatus {
  return {
    name: 'sqs:orders',
    state: state as ConsumerState,
    inFlight: 2,
    handled: 5,
    retried: 1,
    deadLettered: 0,
    ...extra,
  };
}

describe('consumer health', () => {
  it.each([
    ['running', true, true],
    ['paused', true, true],
    ['stopping', true, true],
    ['stopped', true, true],
    ['starting', true, false],
    ['reconnecting', true, false],
    ['failed', false, false],
  ])('a consumer %s is alive: %s, ready: %s', (state, alive, ready) => {
    expect(isConsumerAlive(status(state))).toBe(alive);
    expect(isConsumerReady(status(state))).toBe(ready);
  });

  it('reports state, in-flight and last error only, never the counts', () => {
    expect(consumerHealthOf(status('failed', { lastError: 'QueueDoesNotExist' }))).toEqual({
      state: 'failed',
      inFlight: 2,
      lastError: 'QueueDoesNotExist',
    });
    expect(consumerHealthOf(status('running'))).toEqual({ state: 'running', inFlight: 2 });
  });
});
