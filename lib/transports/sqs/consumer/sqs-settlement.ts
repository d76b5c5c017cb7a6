import { describeFailure, type DispatchOutcome } from '../../../dispatch/dispatch-outcome';
import type { RetryPolicy } from '../../../dispatch/retry-policy';
import { SQS_MAX_VISIBILITY_TIMEOUT_SECONDS } from '../sqs.constants';

/** What the consumer does with a message once its handler is done. */
export type SqsSettlement =
  | { readonly action: 'delete' }
  /** Visible again after the retry delay; SQS counts the next receive as the next attempt. */
  | { readonly action: 'retry'; readonly delaySeconds: number; readonly reason: string }
  /** Sent to the dead-letter queue with its reason, then deleted. */
  | { readonly action: 'dead-letter'; readonly reason: string }
  /** Cannot be retried nor dead-lettered here: left on the queue, visible again after the delay. */
  | {
      readonly action: 'leave';
      readonly delaySeconds: number;
      readonly reason: string;
      /** `redrive-policy`: the queue's own redrive moves it; `no-dead-letter-queue`: nothing will. */
      readonly because: 'redrive-policy' | 'no-dead-letter-queue';
    };

export interface SqsSettlementContext {
  /** The delivery's ApproximateReceiveCount. */
  readonly attempt: number;
  readonly retry: RetryPolicy;
  readonly deadLetterQueue?: string;
  /** Whether the queue has a RedrivePolicy of its own. */
  readonly hasRedrivePolicy: boolean;
  /** The consumer's visibility timeout, in seconds. */
  readonly visibilityTimeout: number;
}

/**
 * Turns a dispatch outcome into an SQS action. Handled: delete. Failed: retry while the
 * policy allows, then dead-letter. Rejected (a redelivery would fail the same way):
 * dead-letter at once. Without a dead-letter queue the message stays on the queue, for the
 * queue's redrive policy if it has one, pushed out of sight so it does not spin.
 */
export function decideSettlement(
  outcome: DispatchOutcome,
  context: SqsSettlementContext,
): SqsSettlement {
  if (outcome.status === 'handled') return { action: 'delete' };
  const reason = describeFailure(outcome);
  const { attempt, retry, deadLetterQueue, hasRedrivePolicy } = context;
  if (outcome.status === 'failed' && retry.canRetry(attempt)) {
    return {
      action: 'retry',
      delaySeconds: toVisibilitySeconds(retry.delayAfter(attempt)),
      reason,
    };
  }
  if (deadLetterQueue !== undefined) return { action: 'dead-letter', reason };
  const because = hasRedrivePolicy ? 'redrive-policy' : 'no-dead-letter-queue';
  const delaySeconds =
    outcome.status === 'failed'
      ? toVisibilitySeconds(retry.delayAfter(attempt))
      : // A rejected message fails the same way every time: keep it out of sight for long.
        Math.max(context.visibilityTimeout, toVisibilitySeconds(retry.maxDelayMs));
  return { action: 'leave', delaySeconds, reason, because };
}

/** A delay in milliseconds as an SQS visibility timeout: whole seconds, never shorter, at most 12 hours. */
export function toVisibilitySeconds(delayMs: number): number {
  if (!Number.isFinite(delayMs) || delayMs <= 0) return 0;
  return Math.min(SQS_MAX_VISIBILITY_TIMEOUT_SECONDS, Math.ceil(delayMs / 1_000));
}
