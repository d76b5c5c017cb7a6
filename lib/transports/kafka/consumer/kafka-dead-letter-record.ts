import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { KAFKA_DEAD_LETTER_HEADERS } from './kafka-consumer.constants';

/** Where a dead-lettered message came from and why it was given up on. */
export interface KafkaDeadLetterFacts {
  readonly topic: string;
  readonly groupId: string;
  readonly partition: number;
  readonly offset: string;
  readonly attempts: number;
  /** One line from `describeFailure`: never field values, never the token. */
  readonly reason: string;
  readonly failedAt: Date;
}

/**
 * The record published to the dead-letter topic: the original key and value bytes untouched
 * (the same key keeps related messages on one partition there too), the original headers, and
 * the `bus-*` headers saying why and from where. A `bus-*` header of the original, e.g. from a
 * message replayed out of a dead-letter topic, is replaced by this failure's.
 */
export function toKafkaDeadLetterRecord(
  message: KafkaMessage,
  facts: KafkaDeadLetterFacts,
): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined) headers[name] = value;
  }
  headers[KAFKA_DEAD_LETTER_HEADERS.reason] = facts.reason;
  headers[KAFKA_DEAD_LETTER_HEADERS.originalTopic] = facts.topic;
  headers[KAFKA_DEAD_LETTER_HEADERS.originalPartition] = String(facts.partition);
  headers[KAFKA_DEAD_LETTER_HEADERS.originalOffset] = facts.offset;
  headers[KAFKA_DEAD_LETTER_HEADERS.consumerGroup] = facts.groupId;
  headers[KAFKA_DEAD_LETTER_HEADERS.attempts] = String(facts.attempts);
  headers[KAFKA_DEAD_LETTER_HEADERS.failedAt] = facts.failedAt.toISOString();
  return { key: message.key, value: message.value, headers };
}
