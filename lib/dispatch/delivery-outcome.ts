import { boundFailureText } from '../errors/bounded-failure-text';
import type { MessageBusMessage } from '../message/message-bus-message';

/**
 * Why a message is refused without retrying: a redelivery would fail the same way.
 * - `invalid-message`: not JSON, not an envelope, or a field breaks its DTO's rules
 * - `unknown-type`: no payload class is registered for its type
 * - `no-handler`: valid, but no handler in this app listens to it on this source, and the
 *   consumer's `unhandled` setting says to dead-letter it
 * - `forbidden`: a guard refused it
 * - `dead-letter-requested`: a handler threw `DeadLetter`
 * - `unauthenticated`: its `meta_data.token` failed verification (the check is named)
 */
export type RejectionReason =
  | 'invalid-message'
  | 'unknown-type'
  | 'no-handler'
  | 'forbidden'
  | 'dead-letter-requested'
  | 'unauthenticated';

/** What became of one delivery; the settlement policy turns it into ack, retry or dead letter. */
export type DispatchOutcome =
  | { readonly status: 'handled'; readonly message: MessageBusMessage; readonly handlers: number }
  /** Every handler's idempotency key was already completed: none ran again (`idempotency`). */
  | { readonly status: 'duplicate'; readonly message: MessageBusMessage; readonly handlers: number }
  /** Valid, no handler listens, and the consumer acknowledges such messages (`unhandled`). */
  | {
      readonly status: 'ignored';
      readonly reason: 'no-handler';
      readonly message: MessageBusMessage;
    }
  | {
      readonly status: 'failed';
      readonly message?: MessageBusMessage;
      readonly error: unknown;
      /** Set when a handler threw `RetryLater`: the delay it asked for. */
      readonly retryAfterMs?: number;
    }
  | {
      readonly status: 'rejected';
      readonly reason: RejectionReason;
      readonly error: Error;
      readonly message?: MessageBusMessage;
    };

/** Whether the delivery was refused for its service token (counted as `unauthenticated` in `statuses()`). */
export function isUnauthenticated(outcome: DispatchOutcome): boolean {
  return outcome.status === 'rejected' && outcome.reason === 'unauthenticated';
}

/** An outcome that is not a success: what the policy retries, dead-letters or leaves. */
export type FailedOutcome = Extract<DispatchOutcome, { status: 'failed' | 'rejected' }>;

/**
 * One line for a dead-letter record or a log: the reason and the error's message, never field
 * values, at most FAILURE_TEXT_MAX_BYTES. The error's message may be as long as the message
 * (a handler's, a guard's, a `DeadLetter` reason): every transport's dead-letter reason and
 * failure log line is this text, so the cap holds on SQS, Kafka and the memory bus alike.
 */
export function describeFailure(outcome: FailedOutcome): string {
  const error = outcome.error;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return boundFailureText(
    outcome.status === 'rejected' ? `${outcome.reason}: ${text}` : `handler-error: ${text}`,
  );
}
