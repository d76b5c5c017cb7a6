import { SQS_MAX_VISIBILITY_TIMEOUT_SECONDS } from '../sqs.constants';

/** A delay in milliseconds as an SQS visibility timeout: whole seconds, never shorter, at most 12 hours. */
export function toVisibilitySeconds(delayMs: number): number {
  if (!Number.isFinite(delayMs) || delayMs <= 0) return 0;
  return Math.min(SQS_MAX_VISIBILITY_TIMEOUT_SECONDS, Math.ceil(delayMs / 1_000));
}
