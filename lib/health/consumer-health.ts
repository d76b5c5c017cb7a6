import type { ConsumerState, ConsumerStatus } from '../transports/transport.interface';

/** What the health details say about one consumer: never a message, a payload or a credential. */
export interface ConsumerHealth {
  readonly state: ConsumerState;
  readonly inFlight: number;
  readonly lastError?: string;
}

/**
 * States in which a consumer takes no new work. `failed` is for good (only a restart helps),
 * so it is also the one state that fails liveness; the others pass on their own. Every other
 * state (`running`, `paused`, `stopping`, `stopped`, and any later one) is ready: a consumer
 * paused or stopped on purpose must not take the instance out of service.
 */
const NOT_READY_STATES: ReadonlySet<string> = new Set(['starting', 'reconnecting', 'failed']);

export function isConsumerAlive(status: ConsumerStatus): boolean {
  return status.state !== 'failed';
}

export function isConsumerReady(status: ConsumerStatus): boolean {
  return !NOT_READY_STATES.has(status.state);
}

export function consumerHealthOf(status: ConsumerStatus): ConsumerHealth {
  return {
    state: status.state,
    inFlight: status.inFlight,
    ...(status.lastError !== undefined ? { lastError: status.lastError } : {}),
  };
}
