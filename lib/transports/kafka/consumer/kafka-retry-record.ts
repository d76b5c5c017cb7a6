import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { KAFKA_DEAD_LETTER_HEADERS, KAFKA_RETRY_HEADERS } from './kafka-consumer.constants';
import { toKafkaDeadLetterRecord, type KafkaDeadLetterFacts } from './kafka-dead-letter-record';
import { kafkaHeaderText } from './kafka-inbound-delivery';

/** Where a record first came in: its coordinates in the consumed topic. */
export interface KafkaRecordOrigin {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** A copy in the retry topic as its consumer reads it back. */
export interface KafkaRetryCopy {
  readonly origin: KafkaRecordOrigin;
  /** Attempts that failed so far: the next one is `attempts + 1`. */
  readonly attempts: number;
  /** When the next attempt may run, in epoch milliseconds. */
  readonly dueAtMs: number;
}

/**
 * The record published to the retry topic: the dead-letter record of this failure (original
 * key, value bytes and headers, the `bus-*` facts of the failure, the original coordinates) and
 * `bus-retry-due-at`. A copy retried again keeps its first coordinates.
 */
export function toKafkaRetryRecord(
  message: KafkaMessage,
  facts: KafkaDeadLetterFacts,
  dueAt: Date,
): Message {
  const record = toKafkaDeadLetterRecord(message, facts);
  (record.headers as IHeaders)[KAFKA_RETRY_HEADERS.dueAt] = dueAt.toISOString();
  return record;
}

/**
 * Reads a record of the retry topic; `undefined` for one that is not a retry copy of `groupId`'s
 * (another group sharing the retry topic, or a record someone else wrote there).
 */
export function readKafkaRetryCopy(
  message: KafkaMessage,
  groupId: string,
): KafkaRetryCopy | undefined {
  const headers = message.headers;
  if (headers === undefined) return undefined;
  if (kafkaHeaderText(headers[KAFKA_DEAD_LETTER_HEADERS.consumerGroup]) !== groupId)
    return undefined;
  const topic = kafkaHeaderText(headers[KAFKA_DEAD_LETTER_HEADERS.originalTopic]);
  const partition = Number(kafkaHeaderText(headers[KAFKA_DEAD_LETTER_HEADERS.originalPartition]));
  const offset = kafkaHeaderText(headers[KAFKA_DEAD_LETTER_HEADERS.originalOffset]);
  const attempts = Number(kafkaHeaderText(headers[KAFKA_DEAD_LETTER_HEADERS.attempts]));
  const dueAtMs = Date.parse(kafkaHeaderText(headers[KAFKA_RETRY_HEADERS.dueAt]) ?? '');
  if (!topic || offset === undefined || !Number.isInteger(partition)) return undefined;
  if (!Number.isInteger(attempts) || attempts < 1 || Number.isNaN(dueAtMs)) return undefined;
  return { origin: { topic, partition, offset }, attempts, dueAtMs };
}
