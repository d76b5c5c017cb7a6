import type { ResolvedKafkaConsumer, ResolvedSqsConsumer } from '../../options/resolved-options';
import type { MemorySubscription } from './memory-subscription.interface';

/** The group every SQS consumer of a queue shares: they compete for its messages. */
export const MEMORY_QUEUE_GROUP = 'queue';

/**
 * A configured SQS or Kafka consumer as it runs on the in-memory bus: the same source,
 * group, dead-letter destination (or none, for an SQS queue without one), retry policy,
 * concurrency and ordering, so that a test on the memory bus predicts the real one.
 */
export function toMemorySubscription(
  consumer: ResolvedSqsConsumer | ResolvedKafkaConsumer,
): MemorySubscription {
  if ('queue' in consumer) {
    return {
      source: consumer.queue,
      group: MEMORY_QUEUE_GROUP,
      deadLetter: consumer.deadLetterQueue,
      rules: {
        retry: consumer.retry,
        canDeadLetter: consumer.deadLetterQueue !== undefined,
        holdRefusedMs: consumer.visibilityTimeout * 1_000,
      },
      concurrency: consumer.concurrency,
      ordering: consumer.queue.endsWith('.fifo') ? 'group' : 'none',
      standsInFor: 'sqs',
    };
  }
  return {
    source: consumer.topic,
    group: consumer.groupId,
    deadLetter: consumer.deadLetterTopic,
    rules: { retry: consumer.retry, canDeadLetter: true },
    concurrency: consumer.partitionsConcurrency,
    ordering: 'key',
    retryMode: consumer.retryMode ?? 'blocking',
    standsInFor: 'kafka',
  };
}
