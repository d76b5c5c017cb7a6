import { describeFailure, type DispatchOutcome } from './delivery-outcome';
import type { RetryPolicy } from './retry-policy';

/**
 * What a transport does with a delivery once the pipeline is done with it. The decision is
 * made here, once, for every transport; SQS, Kafka and the in-memory bus only carry it out.
 * - `acknowledge`: done (SQS delete, Kafka commit, memory drop).
 * - `retry`: deliver it again, as the next attempt, after `delayMs`.
 * - `dead-letter`: send it, with `reason`, to the consumer's dead-letter destination.
 * - `leave`: no dead-letter destination: it stays at its source and comes back after `delayMs`
 *   (SQS: a queue's own redrive policy may move it).
 * - `release`: the consumer is stopping: give it back unsettled, for redelivery.
 */
export type Settlement =
  | { readonly action: 'acknowledge' }
  | { readonly action: 'retry'; readonly delayMs: number; readonly reason: string }
  | { readonly action: 'dead-letter'; readonly reason: string }
  | { readonly action: 'leave'; readonly delayMs: number; readonly reason: string }
  | { readonly action: 'release'; readonly reason: string };

/** A consumer's settings the decision depends on: fixed for the consumer's life. */
export interface SettlementRules {
  readonly retry: RetryPolicy;
  /** Whether the consumer has a dead-letter destination (SQS: `deadLetterQueue`; Kafka: always). */
  readonly canDeadLetter: boolean;
  /**
   * Shortest time a refused message left at its source stays out of sight (SQS: the
   * visibility timeout). It fails the same way every time, so it is kept away long.
   */
  readonly holdRefusedMs?: number;
}

const ACKNOWLEDGE: Settlement = Object.freeze({ action: 'acknowledge' });

/**
 * The settlement policy: handled, duplicate or ignored → acknowledge; failed → retry while attempts
 * are left (after the handler's `RetryLater` delay, else the backoff), then dead-letter;
 * refused → dead-letter at once. Without a dead-letter destination the message is left at
 * its source instead; while the consumer stops, a failure that would be retried is released.
 * `attempt` is 1-based. Pure: no I/O, no clock.
 */
export function decideSettlement(
  outcome: DispatchOutcome,
  attempt: number,
  rules: SettlementRules,
  stopping = false,
): Settlement {
  if (
    outcome.status === 'handled' ||
    outcome.status === 'duplicate' ||
    outcome.status === 'ignored'
  )
    return ACKNOWLEDGE;
  const reason = describeFailure(outcome);
  const { retry } = rules;
  if (outcome.status === 'failed' && retry.canRetry(attempt)) {
    if (stopping) return { action: 'release', reason };
    return { action: 'retry', delayMs: outcome.retryAfterMs ?? retry.delayAfter(attempt), reason };
  }
  if (rules.canDeadLetter) return { action: 'dead-letter', reason };
  const delayMs =
    outcome.status === 'failed'
      ? retry.delayAfter(attempt)
      : Math.max(rules.holdRefusedMs ?? 0, retry.maxDelayMs);
  return { action: 'leave', delayMs, reason };
}
