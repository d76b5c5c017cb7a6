import { describe, expect, it } from 'vitest';
import type { DispatchOutcome } from '../../../../lib/dispatch/dispatch-outcome';
import { RetryPolicy } from '../../../../lib/dispatch/retry-policy';
import { MessageBusError } from '../../../../lib/errors/message-bus.error';
import { MessageValidationError } from '../../../../lib/errors/message-validation.error';
import type { MessageBusMessage } from '../../../../lib/message/message-bus-message';
import {
  decideSettlement,
  toVisibilitySeconds,
  type SqsSettlementContext,
} from '../../../../lib/transports/sqs/consumer/sqs-settlement';

const message = {} as MessageBusMessage;
const handled: DispatchOutcome = { status: 'handled', message, handlers: 1 };
const failed: DispatchOutcome = { status: 'failed', message, error: new Error('database down') };
const rejected: DispatchOutcome = {
  status: 'rejected',
  reason: 'invalid-message',
  error: new MessageValidationError([
    { field: 'payload.currency', problems: ['payload.currency is required'] },
  ]),
};

// No jitter worth speaking of: multiplier 2, 1 s, 2 s, 4 s... each jittered into its upper half.
const retry = new RetryPolicy({
  maxAttempts: 3,
  initialDelayMs: 1_000,
  multiplier: 2,
  maxDelayMs: 120_000,
});

function context(overrides: Partial<SqsSettlementContext> = {}): SqsSettlementContext {
  return {
    attempt: 1,
    retry,
    deadLetterQueue: 'orders-dlq',
    hasRedrivePolicy: false,
    visibilityTimeout: 30,
    ...overrides,
  };
}

describe('decideSettlement', () => {
  it('deletes a handled message', () => {
    expect(decideSettlement(handled, context())).toEqual({ action: 'delete' });
  });

  it('retries a failed message after the policy delay, in whole seconds, while attempts remain', () => {
    const first = decideSettlement(failed, context({ attempt: 1 }));
    const second = decideSettlement(failed, context({ attempt: 2 }));

    expect(first).toEqual({
      action: 'retry',
      delaySeconds: 1,
      reason: 'handler-error: Error: database down',
    });
    expect(second).toMatchObject({ action: 'retry' });
    expect((second as { delaySeconds: number }).delaySeconds).toBeGreaterThanOrEqual(1);
    expect((second as { delaySeconds: number }).delaySeconds).toBeLessThanOrEqual(2);
  });

  it('dead-letters a failed message on its last attempt', () => {
    expect(decideSettlement(failed, context({ attempt: 3 }))).toEqual({
      action: 'dead-letter',
      reason: 'handler-error: Error: database down',
    });
  });

  it('dead-letters a rejected message at once, whatever the attempt', () => {
    expect(decideSettlement(rejected, context({ attempt: 1 }))).toEqual({
      action: 'dead-letter',
      reason:
        'invalid-message: MessageValidationError: Invalid message: payload.currency is required',
    });
  });

  it('leaves an exhausted message to the queue redrive policy when there is no dead-letter queue', () => {
    const settlement = decideSettlement(
      failed,
      context({ attempt: 3, deadLetterQueue: undefined, hasRedrivePolicy: true }),
    );
    expect(settlement).toMatchObject({ action: 'leave', because: 'redrive-policy' });
    expect((settlement as { delaySeconds: number }).delaySeconds).toBeGreaterThanOrEqual(2);
  });

  it('leaves an exhausted message visible again after the backoff when nothing can take it', () => {
    expect(
      decideSettlement(failed, context({ attempt: 3, deadLetterQueue: undefined })),
    ).toMatchObject({
      action: 'leave',
      because: 'no-dead-letter-queue',
    });
  });

  it('pushes a rejected message without a dead-letter queue out of sight for long, so it does not spin', () => {
    const settlement = decideSettlement(
      rejected,
      context({ deadLetterQueue: undefined, visibilityTimeout: 30 }),
    );
    // maxDelayMs 120 s beats the 30 s visibility timeout.
    expect(settlement).toEqual({
      action: 'leave',
      delaySeconds: 120,
      because: 'no-dead-letter-queue',
      reason: expect.stringContaining('invalid-message'),
    });
  });

  it('rejects with the reason of a guard or a missing handler alike', () => {
    const forbidden: DispatchOutcome = {
      status: 'rejected',
      reason: 'forbidden',
      error: new MessageBusError('no'),
    };
    expect(decideSettlement(forbidden, context())).toEqual({
      action: 'dead-letter',
      reason: 'forbidden: MessageBusError: no',
    });
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
});
