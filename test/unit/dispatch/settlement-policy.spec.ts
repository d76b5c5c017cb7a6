import { describe, expect, it } from 'vitest';
import type { DispatchOutcome } from '../../../lib/dispatch/delivery-outcome';
import { RetryPolicy } from '../../../lib/dispatch/retry-policy';
import { decideSettlement, type SettlementRules } from '../../../lib/dispatch/settlement-policy';
import { FAILURE_TEXT_MAX_BYTES } from '../../../lib/errors/bounded-failure-text';
import { MessageBusError } from '../../../lib/errors/message-bus.error';
import { MessageValidationError } from '../../../lib/errors/message-validation.error';
import type { MessageBusMessage } from '../../../lib/message/message-bus-message';
import { toVisibilitySeconds } from '../../../lib/transports/sqs/consumer/sqs-visibility-delay';

const message = {} as MessageBusMessage;
const handled: DispatchOutcome = { status: 'handled', message, handlers: 1 };
const ignored: DispatchOutcome = { status: 'ignored', reason: 'no-handler', message };
const failed: DispatchOutcome = { status: 'failed', message, error: new Error('database down') };
const rejected: DispatchOutcome = {
  status: 'rejected',
  reason: 'invalid-message',
  error: new MessageValidationError([
    { field: 'payload.currency', problems: ['payload.currency is required'] },
  ]),
};

// multiplier 2: 1 s, 2 s, 4 s..., each jittered into its upper half.
const retry = new RetryPolicy({
  maxAttempts: 3,
  initialDelayMs: 1_000,
  multiplier: 2,
  maxDelayMs: 120_000,
});

function rules(overrides: Partial<SettlementRules> = {}): SettlementRules {
  return { retry, canDeadLetter: true, ...overrides };
}

describe('decideSettlement', () => {
  it('acknowledges a handled message, and a valid one nobody handles that the consumer ignores', () => {
    expect(decideSettlement(handled, 1, rules())).toEqual({ action: 'acknowledge' });
    expect(decideSettlement(ignored, 1, rules({ canDeadLetter: false }))).toEqual({
      action: 'acknowledge',
    });
  });

  it('retries a failed message after the backoff while attempts remain', () => {
    const first = decideSettlement(failed, 1, rules());
    const second = decideSettlement(failed, 2, rules());

    expect(first).toMatchObject({ action: 'retry', reason: 'handler-error: Error: database down' });
    const firstDelay = (first as { delayMs: number }).delayMs;
    expect(firstDelay).toBeGreaterThanOrEqual(500);
    expect(firstDelay).toBeLessThanOrEqual(1_000);
    const secondDelay = (second as { delayMs: number }).delayMs;
    expect(secondDelay).toBeGreaterThanOrEqual(1_000);
    expect(secondDelay).toBeLessThanOrEqual(2_000);
  });

  it('retries after the delay a handler asked for with RetryLater', () => {
    const later: DispatchOutcome = { ...failed, retryAfterMs: 7_000 };
    expect(decideSettlement(later, 1, rules())).toMatchObject({ action: 'retry', delayMs: 7_000 });
    // RetryLater still counts toward maxAttempts.
    expect(decideSettlement(later, 3, rules())).toMatchObject({ action: 'dead-letter' });
  });

  it('releases a failure that would be retried while the consumer stops', () => {
    expect(decideSettlement(failed, 1, rules(), true)).toEqual({
      action: 'release',
      reason: 'handler-error: Error: database down',
    });
    // A message out of attempts is settled as usual even then.
    expect(decideSettlement(failed, 3, rules(), true)).toMatchObject({ action: 'dead-letter' });
  });

  it('dead-letters a failed message on its last attempt', () => {
    expect(decideSettlement(failed, 3, rules())).toEqual({
      action: 'dead-letter',
      reason: 'handler-error: Error: database down',
    });
  });

  it('dead-letters a rejected message at once, whatever the attempt', () => {
    expect(decideSettlement(rejected, 1, rules())).toEqual({
      action: 'dead-letter',
      reason:
        'invalid-message: MessageValidationError: Invalid message: payload.currency is required',
    });
  });

  it('leaves an exhausted message at its source, back after the backoff, without a dead-letter destination', () => {
    const settlement = decideSettlement(failed, 3, rules({ canDeadLetter: false }));
    expect(settlement).toMatchObject({ action: 'leave' });
    expect((settlement as { delayMs: number }).delayMs).toBeGreaterThanOrEqual(2_000);
  });

  it('keeps a refused message without a dead-letter destination out of sight for long, so it does not spin', () => {
    expect(
      decideSettlement(rejected, 1, rules({ canDeadLetter: false, holdRefusedMs: 30_000 })),
    ).toEqual({
      action: 'leave',
      // maxDelayMs 120 s beats the 30 s hold.
      delayMs: 120_000,
      reason: expect.stringContaining('invalid-message'),
    });
    expect(
      decideSettlement(rejected, 1, rules({ canDeadLetter: false, holdRefusedMs: 600_000 })),
    ).toMatchObject({ action: 'leave', delayMs: 600_000 });
  });

  it('dead-letters with the reason of a guard, a missing handler or a DeadLetter signal alike', () => {
    for (const reason of ['forbidden', 'no-handler', 'dead-letter-requested'] as const) {
      const outcome: DispatchOutcome = {
        status: 'rejected',
        reason,
        error: new MessageBusError('no'),
      };
      expect(decideSettlement(outcome, 1, rules())).toEqual({
        action: 'dead-letter',
        reason: `${reason}: MessageBusError: no`,
      });
    }
  });
});

describe('toVisibilitySeconds', () => {
  it('rounds up to whole seconds, so a retry never comes sooner than asked', () => {
    expect(toVisibilitySeconds(0)).toBe(0);
    expect(toVisibilitySeconds(1)).toBe(1);
    expect(toVisibilitySeconds(1_000)).toBe(1);
    expect(toVisibilitySeconds(1_001)).toBe(2);
  });

  it('caps at the SQS maximum of 12 hours', () => {
    expect(toVisibilitySeconds(48 * 3_600_000)).toBe(43_200);
  });

  it('gives every transport a reason of at most FAILURE_TEXT_MAX_BYTES, whatever the error says', () => {
    const huge = 'the ledger refused '.repeat(40_000);
    const outcomes: DispatchOutcome[] = [
      { status: 'failed', message, error: new Error(huge) },
      { status: 'rejected', reason: 'dead-letter-requested', error: new MessageBusError(huge) },
    ];
    for (const outcome of outcomes) {
      for (const settlement of [
        decideSettlement(outcome, 1, rules()),
        decideSettlement(outcome, 3, rules()),
        decideSettlement(outcome, 3, rules({ canDeadLetter: false })),
        decideSettlement(outcome, 1, rules(), true),
      ]) {
        expect(settlement.action).not.toBe('acknowledge');
        const { reason } = settlement as { reason: string };
        expect(Buffer.byteLength(reason, 'utf8')).toBeLessThanOrEqual(FAILURE_TEXT_MAX_BYTES);
      }
    }
  });
});
