import type { DeliveryDispatcher } from '../dispatch/delivery-dispatcher';
import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import type { MessageTransports } from '../transports/message-transports';
import type { RunningConsumer } from '../transports/transport.interface';

/**
 * Starts one consumer per configured queue and topic, each on the transport that carries it
 * (SQS, Kafka, or the in-memory bus with `transport: 'memory'`: the same call for all three),
 * every delivery going through `dispatcher` with the consumer's own `unhandled` setting.
 * Consumers already started are stopped again if a later one fails to start.
 */
export async function startConsumers(
  options: ResolvedMessageBusOptions,
  transports: MessageTransports,
  dispatcher: Pick<DeliveryDispatcher, 'dispatch'>,
): Promise<RunningConsumer[]> {
  const started: RunningConsumer[] = [];
  try {
    for (const consumer of options.sqsConsumers) {
      started.push(
        await transports
          .forConsumers('sqs')
          .consume(consumer, (delivery) =>
            dispatcher.dispatch(
              delivery,
              consumer.unhandled,
              consumer.verifyToken,
              consumer.idempotency,
            ),
          ),
      );
    }
    for (const consumer of options.kafkaConsumers) {
      started.push(
        await transports
          .forConsumers('kafka')
          .consume(consumer, (delivery) =>
            dispatcher.dispatch(
              delivery,
              consumer.unhandled,
              consumer.verifyToken,
              consumer.idempotency,
            ),
          ),
      );
    }
  } catch (error) {
    await Promise.all(started.map((consumer) => consumer.stop(0)));
    throw error;
  }
  return started;
}
