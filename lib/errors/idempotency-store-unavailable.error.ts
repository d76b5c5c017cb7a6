import { MessageBusError } from './message-bus.error';

/**
 * The idempotency store could not be reached or answered with an error. The delivery fails
 * and is retried like any transient failure: its handler never runs unguarded.
 */
export class IdempotencyStoreUnavailableError extends MessageBusError {
  override readonly name = 'IdempotencyStoreUnavailableError';

  constructor(
    readonly operation: 'begin' | 'complete' | 'release',
    cause: unknown,
  ) {
    super(
      `The idempotency store failed to ${operation} a key (${cause instanceof Error ? cause.message : String(cause)}): check that it is running and reachable (idempotency.store)`,
      { cause },
    );
  }
}
