import type { MessageBusMessage } from '../message/message-bus-message';

/**
 * Why a message is refused without retrying: a redelivery would fail the same way.
 * - `invalid-message`: not JSON, not an envelope, or a field breaks its DTO's rules
 * - `unknown-type`: no payload class is registered for its type
 * - `no-handler`: valid, but no handler in this app listens to it on this source
 * - `forbidden`: a guard refused it
 */
export type RejectionReason = 'invalid-message' | 'unknown-type' | 'no-handler' | 'forbidden';

/** What became of one delivery; the transport turns it into ack, retry or dead letter. */
export type DispatchOutcome =
  | { readonly status: 'handled'; readonly message: MessageBusMessage; readonly handlers: number }
  | { readonly status: 'failed'; readonly message: MessageBusMessage; readonly error: unknown }
  | {
      readonly status: 'rejected';
      readonly reason: RejectionReason;
      readonly error: Error;
      readonly message?: MessageBusMessage;
    };

/** One line for a dead-letter record or a log: the reason and the error's message, never field values. */
export function describeFailure(outcome: Exclude<DispatchOutcome, { status: 'handled' }>): string {
  const error = outcome.error;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return outcome.status === 'rejected' ? `${outcome.reason}: ${text}` : `handler-error: ${text}`;
}
