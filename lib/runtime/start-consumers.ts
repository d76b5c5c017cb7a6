import type { DeliveryDispatcher } from '../dispatch/delivery-dispatcher';
import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import { ConsumerTelemetry, type ObservedHandler } from '../telemetry/consumer.telemetry';
import type { MessageTransports } from '../transports/message-transports';
import type { DeliveryHandler, RunningConsumer } from '../transports/transport.interface';
import { declaredConsumers, type DeclaredConsumer } from './declared-consumers';

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
  const telemetry = ConsumerTelemetry.create(options.telemetry);
  try {
    for (const declared of declaredConsumers(options)) {
      started.push(await startConsumer(declared, transports, dispatcher, telemetry));
    }
  } catch (error) {
    telemetry?.close();
    await Promise.all(started.map((consumer) => consumer.stop(0)));
    throw error;
  }
  return started;
}

/**
 * Starts one declared consumer on the transport that carries it, its deliveries observed by
 * `telemetry` (the app's one `ConsumerTelemetry`; none when telemetry is off or not installed).
 */
export async function startConsumer(
  declared: DeclaredConsumer,
  transports: MessageTransports,
  dispatcher: Pick<DeliveryDispatcher, 'dispatchNow'>,
  telemetry?: ConsumerTelemetry,
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
    const observed = telemetry?.observe(
      {
        transport: transport.name,
        destination: queue,
        ...(transport.name === 'memory' ? {} : { depth: () => transports.sqs.queueDepth(queue) }),
      },
      dispatch,
    );
    return watched(
      observed,
      await transport.consume(declared.settings, observed?.handler ?? dispatch),
    );
  }
  const transport = transports.forConsumers('kafka');
  const observed = telemetry?.observe(
    {
      transport: transport.name,
      destination: declared.settings.topic,
      group: declared.settings.groupId,
    },
    dispatch,
  );
  return watched(
    observed,
    await transport.consume(declared.settings, observed?.handler ?? dispatch),
  );
}

/** `running`, handed to its telemetry's gauges. */
function watched(observed: ObservedHandler | undefined, running: RunningConsumer): RunningConsumer {
  observed?.started(running);
  return running;
}
