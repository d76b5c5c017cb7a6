import type { DeliveryDispatcher } from '../dispatch/delivery-dispatcher';
import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import type { MessageTransports } from '../transports/message-transports';
import type { DeliveryHandler, RunningConsumer } from '../transports/transport.interface';
import { declaredConsumers, type DeclaredConsumer } from './declared-consumers';

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
    for (const declared of declaredConsumers(options)) {
      started.push(await startConsumer(declared, transports, dispatcher));
    }
  } catch (error) {
    await Promise.all(started.map((consumer) => consumer.stop(0)));
    throw error;
  }
  return started;
}

/** Starts one declared consumer on the transport that carries it. */
export async function startConsumer(
  declared: DeclaredConsumer,
  transports: MessageTransports,
  dispatcher: Pick<DeliveryDispatcher, 'dispatch'>,
): Promise<RunningConsumer> {
  const { settings } = declared;
  const handler: DeliveryHandler = (delivery) =>
    dispatcher.dispatch(delivery, settings.unhandled, settings.verifyToken, settings.idempotency);
  return declared.bus === 'sqs'
    ? transports.forConsumers('sqs').consume(declared.settings, handler)
    : transports.forConsumers('kafka').consume(declared.settings, handler);
}
