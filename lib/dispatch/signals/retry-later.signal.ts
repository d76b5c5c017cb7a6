import { MessageBusError } from '../../errors/message-bus.error';

/**
 * Thrown by a handler that knows when to try again (a rate limit, a dependency that said
 * "retry after"): the attempt counts as failed and the message comes back after `delayMs`
 * instead of the consumer's backoff. It still counts toward `retry.maxAttempts`, after which
 * the message is dead-lettered like any other failure. SQS rounds the delay up to whole seconds.
 */
export class RetryLater extends MessageBusError {
  override readonly name = 'RetryLater';

  constructor(
    readonly delayMs: number,
    reason = `retry requested in ${delayMs} ms`,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    if (!Number.isFinite(delayMs) || delayMs < 0) {
      throw new MessageBusError(
        `RetryLater needs a delay of 0 ms or more (got ${String(delayMs)})`,
      );
    }
  }
}
