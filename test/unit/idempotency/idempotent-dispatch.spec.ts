import { describe, expect, it } from 'vitest';
import { DeliveryDispatcher, type DispatchTarget } from '../../../lib/dispatch/delivery-dispatcher';
import { RetryPolicy } from '../../../lib/dispatch/retry-policy';
import { decideSettlement } from '../../../lib/dispatch/settlement-policy';
import { DEFAULT_UNHANDLED_POLICY } from '../../../lib/dispatch/unhandled-policy';
import { resolveIdempotency } from '../../../lib/idempotency/idempotency-policy';
import { defaultMessageTypeRegistry } from '../../../lib/message/message-type-registry';
import { buildPaymentMessage } from '../../support/payment-message';

const body = buildPaymentMessage({
  reference: 'R1',
  payerName: 'Zoë Müller',
  serviceToken: 'token',
  idempotencyKey: 'key-1',
}).serialize();

function delivery(attempt = 1) {
  return { transport: 'memory' as const, source: 'payments', body, attempt };
}

describe('the idempotency stage of the dispatcher', () => {
  it('a delivery whose every handler already completed its key is a duplicate, acknowledged', async () => {
    let runs = 0;
    const targets: DispatchTarget[] = [
      { name: 'A.onPayment', invoke: async () => void (runs += 1) },
    ];
    const dispatcher = new DeliveryDispatcher(() => targets, defaultMessageTypeRegistry);
    const policy = resolveIdempotency(true, 'idempotency');

    const first = await dispatcher.dispatch(delivery(), DEFAULT_UNHANDLED_POLICY, undefined, policy);
    const second = await dispatcher.dispatch(delivery(), DEFAULT_UNHANDLED_POLICY, undefined, policy);
    expect(first.status).toBe('handled');
    expect(second.status).toBe('duplicate');
    expect(runs).toBe(1);
    const retry = new RetryPolicy({ maxAttempts: 3 }, 'retry');
    expect(decideSettlement(second, 1, { retry, canDeadLetter: true })).toEqual({
      action: 'acknowledge',
    });
  });

  it('without the option every delivery runs its handler, as before', async () => {
    let runs = 0;
    const targets: DispatchTarget[] = [
      { name: 'A.onPayment', invoke: async () => void (runs += 1) },
    ];
    const dispatcher = new DeliveryDispatcher(() => targets, defaultMessageTypeRegistry);
    await dispatcher.dispatch(delivery());
    await dispatcher.dispatch(
      delivery(),
      DEFAULT_UNHANDLED_POLICY,
      undefined,
      resolveIdempotency(undefined, 'i'),
    );
    expect(runs).toBe(2);
  });

  it('tracks two handlers of one message apart: a retry runs only the one that failed', async () => {
    const runs: string[] = [];
    let failNotify = true;
    const targets: DispatchTarget[] = [
      { name: 'Ledger.book', invoke: async () => void runs.push('book') },
      {
        name: 'Mailer.notify',
        invoke: async () => {
          runs.push('notify');
          if (failNotify) {
            failNotify = false;
            throw new Error('smtp down');
          }
        },
      },
    ];
    const dispatcher = new DeliveryDispatcher(() => targets, defaultMessageTypeRegistry);
    const policy = resolveIdempotency(true, 'idempotency');

    expect((await dispatcher.dispatch(delivery(1), DEFAULT_UNHANDLED_POLICY, undefined, policy)).status).toBe(
      'failed',
    );
    expect((await dispatcher.dispatch(delivery(2), DEFAULT_UNHANDLED_POLICY, undefined, policy)).status).toBe(
      'handled',
    );
    expect(runs).toEqual(['book', 'notify', 'notify']);
  });

  it('a store that is down makes the delivery fail (retried), with no handler run', async () => {
    let runs = 0;
    const targets: DispatchTarget[] = [
      { name: 'A.onPayment', invoke: async () => void (runs += 1) },
    ];
    const dispatcher = new DeliveryDispatcher(() => targets, defaultMessageTypeRegistry);
    const policy = resolveIdempotency(
      {
        store: {
          begin: () => Promise.reject(new Error('ECONNREFUSED')),
          complete: () => Promise.resolve(),
          release: () => Promise.resolve(),
        },
      },
      'idempotency',
    );
    const outcome = await dispatcher.dispatch(delivery(), DEFAULT_UNHANDLED_POLICY, undefined, policy);
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(runs).toBe(0);
    const retry = new RetryPolicy({ maxAttempts: 3 }, 'retry');
    expect(decideSettlement(outcome, 1, { retry, canDeadLetter: true }).action).toBe('retry');
  });
});
