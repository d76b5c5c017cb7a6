import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DispatchOutcome } from '../../../lib/dispatch/delivery-outcome';
import type { InboundDelivery } from '../../../lib/dispatch/inbound-delivery.interface';
import type { ResolvedKafkaConsumer } from '../../../lib/options/resolved-options';
import type { DeclaredConsumer } from '../../../lib/runtime/declared-consumers';
import { DeferredConsumerTelemetry } from '../../../lib/runtime/deferred-consumer-telemetry';
import { startConsumer } from '../../../lib/runtime/start-consumers';
import { ConsumerTelemetry } from '../../../lib/telemetry/consumer.telemetry';
import type { MessageTransports } from '../../../lib/transports/message-transports';
import type { DeliveryHandler, RunningConsumer } from '../../../lib/transports/transport.interface';

const delivery = (offset: string): InboundDelivery => ({
  transport: 'kafka',
  source: 'payments',
  body: '{}',
  attempt: 1,
  partition: 0,
  offset,
});

const declared = (topic: string): DeclaredConsumer => ({
  name: `kafka:${topic} (g)`,
  bus: 'kafka',
  settings: { topic, groupId: 'g' } as ResolvedKafkaConsumer,
});

/** Records, in order, what the runtime does: consume calls, telemetry builds, observed deliveries. */
function harness(deliverDuringStart: string[] = []) {
  const log: string[] = [];
  const handlers: DeliveryHandler[] = [];
  const running = { name: 'running' } as RunningConsumer;
  const transport = {
    name: 'kafka' as const,
    consume: async (settings: ResolvedKafkaConsumer, handler: DeliveryHandler) => {
      log.push(`consume ${settings.topic}`);
      handlers.push(handler);
      for (const offset of deliverDuringStart) await handler(delivery(offset));
      await Promise.resolve();
      return running;
    },
  };
  const transports = { forConsumers: () => transport } as unknown as MessageTransports;
  const dispatcher = {
    dispatchNow: (d: InboundDelivery): DispatchOutcome => {
      log.push(`dispatch ${d.offset ?? ''}`);
      return { status: 'ignored', reason: 'no-handler' } as unknown as DispatchOutcome;
    },
  };
  const started = vi.fn();
  vi.spyOn(ConsumerTelemetry, 'create').mockImplementation(() => {
    log.push('telemetry built');
    return {
      observe: (_consumer: unknown, inner: DeliveryHandler) => ({
        handler: (d: InboundDelivery) => {
          log.push(`observed ${d.offset ?? ''}`);
          return inner(d);
        },
        started,
      }),
      close: vi.fn(),
    } as unknown as ConsumerTelemetry;
  });
  return { log, handlers, running, transports, dispatcher, started };
}

describe('startConsumer: the telemetry stage is built once the consumer has begun to start', () => {
  afterEach(() => vi.restoreAllMocks());

  it('starts the consumer before building the telemetry, then observes every delivery', async () => {
    const { log, handlers, running, transports, dispatcher, started } = harness();
    const telemetry = new DeferredConsumerTelemetry(undefined);

    await expect(
      startConsumer(declared('payments'), transports, dispatcher, telemetry),
    ).resolves.toBe(running);
    await handlers[0](delivery('7'));

    expect(log).toEqual(['consume payments', 'telemetry built', 'observed 7', 'dispatch 7']);
    expect(started).toHaveBeenCalledWith(running);
  });

  it('builds it at the first delivery when that comes while the consumer is still starting', async () => {
    const { log, running, transports, dispatcher, started } = harness(['1', '2']);

    await startConsumer(
      declared('payments'),
      transports,
      dispatcher,
      new DeferredConsumerTelemetry(undefined),
    );

    expect(log).toEqual([
      'consume payments',
      'telemetry built',
      'observed 1',
      'dispatch 1',
      'observed 2',
      'dispatch 2',
    ]);
    expect(started).toHaveBeenCalledTimes(1);
    expect(started).toHaveBeenCalledWith(running);
  });

  it('builds the app’s one telemetry once for all its consumers', async () => {
    const { log, transports, dispatcher } = harness();
    const telemetry = new DeferredConsumerTelemetry(undefined);

    await startConsumer(declared('payments'), transports, dispatcher, telemetry);
    await startConsumer(declared('refunds'), transports, dispatcher, telemetry);

    expect(log).toEqual(['consume payments', 'telemetry built', 'consume refunds']);
  });

  it('gives the transport the dispatcher itself, in effect, when there is no telemetry', async () => {
    const { log, handlers, transports, dispatcher } = harness();
    vi.spyOn(ConsumerTelemetry, 'create').mockReturnValue(undefined);

    await startConsumer(
      declared('payments'),
      transports,
      dispatcher,
      new DeferredConsumerTelemetry(undefined),
    );
    await handlers[0](delivery('3'));

    expect(log).toEqual(['consume payments', 'dispatch 3']);
  });
});
