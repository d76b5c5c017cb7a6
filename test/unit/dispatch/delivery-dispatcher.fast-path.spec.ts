import { ForbiddenException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { DeliveryDispatcher, type DispatchTarget } from '../../../lib/dispatch/delivery-dispatcher';
import { isThenable } from '../../../lib/dispatch/thenable';
import { DeadLetter } from '../../../lib/dispatch/signals/dead-letter.signal';
import { RetryLater } from '../../../lib/dispatch/signals/retry-later.signal';
import { defaultMessageTypeRegistry } from '../../../lib/message/message-type-registry';
import { buildPaymentMessage } from '../../support/payment-message';

const fast = { reference: 'R-FAST', payerName: 'Jane Doe', serviceToken: 'token' };
const body = buildPaymentMessage(fast).serialize();

const delivery = { transport: 'memory' as const, source: 'payments', body, attempt: 1 };

function dispatcherOf(...targets: DispatchTarget[]): DeliveryDispatcher {
  return new DeliveryDispatcher(() => targets, defaultMessageTypeRegistry);
}

const target = (name: string, invoke: DispatchTarget['invoke']): DispatchTarget => ({
  name,
  invoke,
});

describe('DeliveryDispatcher: handlers that take their payload alone', () => {
  it('calls invokeWithPayload with the payload, not invoke, and builds a context only for a handler that reads one', () => {
    const seen: unknown[] = [];
    const payloadOnly: DispatchTarget = {
      name: 'A.payloadOnly',
      invoke: () => {
        throw new Error('invoke must not be called when invokeWithPayload is set');
      },
      invokeWithPayload: (payload) => void seen.push(['payload-only', payload]),
    };
    const withContext = target('B.withContext', (payload, context) => {
      seen.push(['with-context', payload, context.getSource(), context.getMessage().payload]);
    });

    const outcome = dispatcherOf(payloadOnly, withContext).dispatchNow(delivery);

    expect(outcome).toMatchObject({ status: 'handled', handlers: 2 });
    const [[first, firstPayload], [second, secondPayload, source, messagePayload]] = seen as [
      [string, unknown],
      [string, unknown, string, unknown],
    ];
    expect([first, second, source]).toEqual(['payload-only', 'with-context', 'payments']);
    expect(firstPayload).toMatchObject({ reference: 'R-FAST' });
    expect(secondPayload).toBe(firstPayload);
    expect(messagePayload).toBe(firstPayload);
  });

  it('fails the delivery with what invokeWithPayload throws, like invoke', () => {
    const failing: DispatchTarget = {
      name: 'A.failing',
      invoke: () => undefined,
      invokeWithPayload: () => {
        throw new Error('payload-only handler failed');
      },
    };

    const outcome = dispatcherOf(failing).dispatchNow(delivery);

    expect(outcome).toMatchObject({
      status: 'failed',
      error: { message: 'payload-only handler failed' },
    });
  });
});

describe('DeliveryDispatcher.dispatchNow: the outcome at once when every stage answers at once', () => {
  it('comes back as it is, not as a promise, when the handlers answer at once', () => {
    const calls: string[] = [];
    const dispatcher = dispatcherOf(
      target('A.one', () => void calls.push('one')),
      target('B.two', () => void calls.push('two')),
    );

    const outcome = dispatcher.dispatchNow(delivery);

    expect(isThenable(outcome)).toBe(false);
    expect(outcome).toMatchObject({ status: 'handled', handlers: 2 });
    expect(calls).toEqual(['one', 'two']);
  });

  it('comes back as it is for a message that cannot be parsed', () => {
    const outcome = dispatcherOf(target('A.one', () => undefined)).dispatchNow({
      ...delivery,
      body: '{not json',
    });

    expect(isThenable(outcome)).toBe(false);
    expect(outcome).toMatchObject({ status: 'rejected', reason: 'invalid-message' });
  });

  it('is a promise from the first handler that returns one, the later handlers still called in order', async () => {
    const calls: string[] = [];
    const dispatcher = dispatcherOf(
      target('A.one', () => void calls.push('one')),
      target('B.two', async () => {
        await Promise.resolve();
        calls.push('two');
      }),
      target('C.three', () => void calls.push('three')),
    );

    const outcome = dispatcher.dispatchNow(delivery);

    expect(isThenable(outcome)).toBe(true);
    await expect(outcome).resolves.toMatchObject({ status: 'handled', handlers: 3 });
    expect(calls).toEqual(['one', 'two', 'three']);
  });

  it('keeps the first failure and the longest RetryLater across handlers that throw at once and later', async () => {
    const first = new RetryLater(200, 'busy');
    const dispatcher = dispatcherOf(
      target('A.one', () => {
        throw first;
      }),
      target('B.two', () => Promise.reject(new RetryLater(900, 'busier'))),
      target('C.three', () => {
        throw new RetryLater(100, 'less busy');
      }),
    );

    const outcome = await dispatcher.dispatchNow(delivery);

    expect(outcome).toMatchObject({ status: 'failed', error: first, retryAfterMs: 900 });
    // The same outcome as `dispatch` gives.
    expect(await dispatcher.dispatch(delivery)).toMatchObject({
      status: 'failed',
      error: first,
      retryAfterMs: 900,
    });
  });

  it('a failure that answers at once still comes back at once, the later handlers called', () => {
    const calls: string[] = [];
    const error = new Error('boom');
    const dispatcher = dispatcherOf(
      target('A.one', () => {
        throw error;
      }),
      target('B.two', () => void calls.push('two')),
    );

    const outcome = dispatcher.dispatchNow(delivery);

    expect(isThenable(outcome)).toBe(false);
    expect(outcome).toMatchObject({ status: 'failed', error });
    expect(outcome).not.toHaveProperty('retryAfterMs');
    expect(calls).toEqual(['two']);
  });

  it('a guard refusal or a DeadLetter ends the delivery at once, sync or async, the later handlers not called', async () => {
    const calls: string[] = [];
    const later = target('C.later', () => void calls.push('later'));
    const refused = dispatcherOf(
      target('A.guarded', () => {
        throw new ForbiddenException('no');
      }),
      later,
    ).dispatchNow(delivery);
    const deadLettered = await dispatcherOf(
      target('A.async', () => Promise.reject(new DeadLetter('poison'))),
      later,
    ).dispatchNow(delivery);

    expect(isThenable(refused)).toBe(false);
    expect(refused).toMatchObject({ status: 'rejected', reason: 'forbidden' });
    expect(String((refused as { error: Error }).error.message)).toContain('A.guarded');
    expect(deadLettered).toMatchObject({ status: 'rejected', reason: 'dead-letter-requested' });
    expect(calls).toEqual([]);
  });
});
