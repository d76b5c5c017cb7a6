import {
  ConsumerOrchestrator,
  MessageBusConsumers,
  UnknownConsumerError,
  type MessageBusModuleOptions,
} from 'nestjs-message-bus';
import { describe, expect, it } from 'vitest';
import {
  publishPayments,
  references,
  startsClosedAfterEach,
  waitUntil,
} from '../support/consumer-control-app';
import { describeConsumerControl, type ControlSources } from '../support/consumer-control-suite';

function memorySources(): ControlSources {
  return {
    payments: 'payments',
    statuses: 'statuses',
    paymentsConsumer: 'memory:payments (queue)',
    statusesConsumer: 'memory:statuses (queue)',
    options: ({ module = {}, paymentsAutoStart } = {}): MessageBusModuleOptions => ({
      consumers: {
        sqs: [
          {
            queue: 'payments',
            // maxInFlight below: at most this many run when a pause comes.
            concurrency: 10,
            ...(paymentsAutoStart === undefined ? {} : { autoStart: paymentsAutoStart }),
          },
          { queue: 'statuses' },
        ],
      },
      ...module,
    }),
  };
}

describeConsumerControl({
  transport: 'memory',
  sources: async () => memorySources(),
  quietMs: 300,
  maxInFlight: 10,
});

describe('MessageBusConsumers on the in-memory bus', () => {
  const start = startsClosedAfterEach();

  it('refuses an unknown name with an error that lists the known ones', async () => {
    const app = await start(memorySources().options(), { memory: true });
    const refused = app.consumers.pause('payments');
    await expect(refused).rejects.toBeInstanceOf(UnknownConsumerError);
    await expect(refused).rejects.toThrow(
      'No consumer is named "payments": use one of the names statuses() shows ("memory:payments (queue)", "memory:statuses (queue)")',
    );
    expect(() => app.consumers.get('kafka:x (g)')).toThrow(UnknownConsumerError);
  });

  it('module-wide autoStart: false starts nothing; resume(name) starts one like start(name)', async () => {
    const sources = memorySources();
    const app = await start(sources.options({ module: { autoStart: false } }), {
      memory: true,
    });
    expect(app.consumers.statuses().map(({ state }) => state)).toEqual(['stopped', 'stopped']);
    await publishPayments(app.publisher, 'payments', references('queued', 3));

    await app.consumers.resume(sources.paymentsConsumer);
    await waitUntil('the queued payments', () => app.ledger.payments.length >= 3);
    expect(app.consumers.statuses().map(({ state }) => state)).toEqual(['running', 'stopped']);
  });

  it('a consumer stopped by name starts again with start(name), fresh counts, nothing lost', async () => {
    const sources = memorySources();
    const app = await start(sources.options(), { memory: true });
    await publishPayments(app.publisher, 'payments', ['before-stop']);
    await waitUntil('the first payment', () => app.ledger.payments.length === 1);
    await app.consumers.stop(sources.paymentsConsumer);
    await publishPayments(app.publisher, 'payments', ['while-stopped']);

    await app.consumers.start(sources.paymentsConsumer);
    await waitUntil('the payment sent while stopped', () => app.ledger.payments.length === 2);
    expect(app.ledger.payments).toEqual(['before-stop', 'while-stopped']);
    const restarted = app.consumers.get(sources.paymentsConsumer);
    await waitUntil('the restarted consumer to count it', () => restarted.status().handled === 1);
    expect(restarted.status()).toMatchObject({ state: 'running', handled: 1 });
  });

  it('ConsumerOrchestrator is the same provider as MessageBusConsumers', async () => {
    const app = await start(memorySources().options(), { memory: true });
    expect(app.app.get(ConsumerOrchestrator)).toBe(app.app.get(MessageBusConsumers));
    expect(app.app.get(ConsumerOrchestrator).statuses()).toHaveLength(2);
  });
});
