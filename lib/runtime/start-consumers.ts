import { defaultDeadLetterDestination } from '../options/consumer-defaults';
import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import type { MessageTransports } from '../transports/message-transports';
import type { MemorySubscription } from '../transports/memory/memory-subscription.interface';
import type { DeliveryHandler, RunningConsumer } from '../transports/transport.interface';

/**
 * Starts one consumer per configured queue and topic: on SQS and Kafka, or, with
 * `transport: 'memory'`, on in-memory channels of the same names. Consumers already
 * started are stopped again if a later one fails to start.
 */
export async function startConsumers(
  options: ResolvedMessageBusOptions,
  transports: MessageTransports,
  handle: DeliveryHandler,
): Promise<RunningConsumer[]> {
  const started: RunningConsumer[] = [];
  const onMemory = options.transport === 'memory';
  const onMemoryChannel = (subscription: MemorySubscription) =>
    transports.memory.consume(subscription, handle);
  try {
    for (const c of options.sqsConsumers) {
      started.push(
        onMemory
          ? await onMemoryChannel({
              source: c.queue,
              group: 'queue',
              deadLetter: c.deadLetterQueue ?? defaultDeadLetterDestination(c.queue),
              retry: c.retry,
              concurrency: c.concurrency,
            })
          : await transports.sqs.consume(c, handle),
      );
    }
    for (const c of options.kafkaConsumers) {
      started.push(
        onMemory
          ? await onMemoryChannel({
              source: c.topic,
              group: c.groupId,
              deadLetter: c.deadLetterTopic,
              retry: c.retry,
              concurrency: c.partitionsConcurrency,
            })
          : await transports.kafka.consume(c, handle),
      );
    }
  } catch (error) {
    await Promise.all(started.map((consumer) => consumer.stop(0)));
    throw error;
  }
  return started;
}
