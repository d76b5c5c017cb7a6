import type { DeliveryDispatcher } from '../dispatch/delivery-dispatcher';
import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import type { ObservedHandler, TelemetryConsumer } from '../telemetry/consumer.telemetry';
import type { MessageTransports } from '../transports/message-transports';
import type { DeliveryHandler, RunningConsumer } from '../transports/transport.interface';
import { declaredConsumers, type DeclaredConsumer } from './declared-consumers';
import { DeferredConsumerTelemetry } from './deferred-consumer-telemetry';

/**
 * Starts one consumer per configured queue and topic, each on the transport that carries it
 * (SQS, Kafka, or the in-memory bus with `transport: 'memory'`: the same call for all three),
 * every delivery going through `dispatcher` with the consumer's own `unhandled` setting, inside
 * the telemetry stage (spans and metrics, see lib/telemetry) unless `telemetry` turns it off.
 * Consumers already started are stopped again if a later one fails to start.
 */
export async function startConsumers(
  options: ResolvedMessageBusOptions,
  transports: MessageTransports,
  dispatcher: Pick<DeliveryDispatcher, 'dispatchNow'>,
): Promise<RunningConsumer[]> {
  const started: RunningConsumer[] = [];
  const telemetry = new DeferredConsumerTelemetry(options.telemetry);
  try {
    for (const declared of declaredConsumers(options)) {
      started.push(await startConsumer(declared, transports, dispatcher, telemetry));
    }
  } catch (error) {
    telemetry.close();
    await Promise.all(started.map((consumer) => consumer.stop(0)));
    throw error;
  }
  return started;
}

/**
 * Starts one declared consumer on the transport that carries it, its deliveries observed by
 * `telemetry` (the app's one `ConsumerTelemetry`; none when telemetry is off or not installed).
 * The consumer starts connecting first: the telemetry stage is built while it connects and
 * joins (loading `@opentelemetry/api` takes a while), once it has started, or at its first
 * delivery if that comes sooner, so that every delivery goes through it.
 */
export async function startConsumer(
  declared: DeclaredConsumer,
  transports: MessageTransports,
  dispatcher: Pick<DeliveryDispatcher, 'dispatchNow'>,
  telemetry?: DeferredConsumerTelemetry,
): Promise<RunningConsumer> {
  const { settings } = declared;
  const dispatch: DeliveryHandler = (delivery) =>
    dispatcher.dispatchNow(
      delivery,
      settings.unhandled,
      settings.verifyToken,
      settings.idempotency,
    );
  if (declared.bus === 'sqs') {
    const transport = transports.forConsumers('sqs');
    const { queue } = declared.settings;
    const watched: TelemetryConsumer = {
      transport: transport.name,
      destination: queue,
      ...(transport.name === 'memory' ? {} : { depth: () => transports.sqs.queueDepth(queue) }),
    };
    return observedConsumer(watched, dispatch, telemetry, (handler) =>
      transport.consume(declared.settings, handler),
    );
  }
  const transport = transports.forConsumers('kafka');
  const watched: TelemetryConsumer = {
    transport: transport.name,
    destination: declared.settings.topic,
    group: declared.settings.groupId,
  };
  return observedConsumer(watched, dispatch, telemetry, (handler) =>
    transport.consume(declared.settings, handler),
  );
}

/**
 * `consume(handler)`, its deliveries going through the telemetry stage of `watched`, which is
 * built once the consumer has started, or at its first delivery if that comes sooner.
 */
async function observedConsumer(
  watched: TelemetryConsumer,
  dispatch: DeliveryHandler,
  telemetry: DeferredConsumerTelemetry | undefined,
  consume: (handler: DeliveryHandler) => Promise<RunningConsumer>,
): Promise<RunningConsumer> {
  let observed: ObservedHandler | undefined;
  const observe = (): void => {
    if (current !== unobserved) return;
    observed = telemetry?.get()?.observe(watched, dispatch);
    current = observed?.handler ?? dispatch;
  };
  const unobserved: DeliveryHandler = (delivery) => {
    observe();
    return current(delivery);
  };
  let current = telemetry === undefined ? dispatch : unobserved;
  const running = await consume((delivery) => current(delivery));
  observe();
  observed?.started(running);
  return running;
}
