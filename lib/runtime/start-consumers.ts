import type { DeliveryDispatcher } from '../dispatch/delivery-dispatcher';
import type {
  ResolvedKafkaConsumer,
  ResolvedMessageBusOptions,
  ResolvedSqsConsumer,
} from '../options/resolved-options';
import { ConsumerTelemetry, type TelemetryConsumer } from '../telemetry/consumer.telemetry';
import type { MessageTransports } from '../transports/message-transports';
import type {
  DeliveryHandler,
  MessageTransport,
  RunningConsumer,
} from '../transports/transport.interface';

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
  dispatcher: Pick<DeliveryDispatcher, 'dispatch'>,
): Promise<RunningConsumer[]> {
  const started: RunningConsumer[] = [];
  const telemetry = ConsumerTelemetry.create(options.telemetry);
  const start = async <T extends ResolvedSqsConsumer | ResolvedKafkaConsumer>(
    consumer: T,
    transport: MessageTransport<T>,
    observed: Omit<TelemetryConsumer, 'transport'>,
  ): Promise<void> => {
    const dispatch: DeliveryHandler = (delivery) =>
      dispatcher.dispatch(delivery, consumer.unhandled, consumer.verifyToken, consumer.idempotency);
    const telemetered = telemetry?.observe({ ...observed, transport: transport.name }, dispatch);
    const running = await transport.consume(consumer, telemetered?.handler ?? dispatch);
    telemetered?.started(running);
    started.push(running);
  };
  try {
    for (const consumer of options.sqsConsumers) {
      const { queue } = consumer;
      await start(consumer, transports.forConsumers('sqs'), {
        destination: queue,
        ...(options.transport === 'memory'
          ? {}
          : { depth: () => transports.sqs.queueDepth(queue) }),
      });
    }
    for (const consumer of options.kafkaConsumers) {
      await start(consumer, transports.forConsumers('kafka'), {
        destination: consumer.topic,
        group: consumer.groupId,
      });
    }
  } catch (error) {
    telemetry?.close();
    await Promise.all(started.map((consumer) => consumer.stop(0)));
    throw error;
  }
  return started;
}
