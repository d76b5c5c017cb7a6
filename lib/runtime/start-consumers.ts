import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import type { MessageTransports } from '../transports/message-transports';
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
  try {
    for (const consumer of options.sqsConsumers) {
      started.push(
        onMemory
          ? await transports.memory.consume(
              {
                source: consumer.queue,
                group: 'queue',
                deadLetter: consumer.deadLetterQueue ?? `${consumer.queue}.dlq`,
                retry: consumer.retry,
                concurrency: consumer.concurrency,
              },
              handle,
            )
          : await transports.sqs.consume(consumer, handle),
      );
    }
    for (const consumer of options.kafkaConsumers) {
      started.push(
        onMemory
          ? await transports.memory.consume(
              {
                source: consumer.topic,
                group: consumer.groupId,
                deadLetter: consumer.deadLetterTopic,
                retry: consumer.retry,
                concurrency: consumer.partitionsConcurrency,
              },
              handle,
            )
          : await transports.kafka.consume(consumer, handle),
      );
    }
  } catch (error) {
    await Promise.all(started.map((consumer) => consumer.stop(0)));
    throw error;
  }
  return started;
}
