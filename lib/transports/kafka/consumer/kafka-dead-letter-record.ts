import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { boundFailureText } from '../../../errors/bounded-failure-text';
import {
  KAFKA_DEAD_LETTER_HEADERS,
  KAFKA_RETRY_HEADERS,
  KAFKA_TRUNCATED_DEAD_LETTER_HEADERS,
} from './kafka-consumer.constants';
import { bytesOf, kafkaRecordBatchBytes } from './kafka-record-size';

/** Where a dead-lettered message came from and why it was given up on. */
export interface KafkaDeadLetterFacts {
  readonly topic: string;
  readonly groupId: string;
  readonly partition: number;
  readonly offset: string;
  readonly attempts: number;
  /** One line from `describeFailure`: never field values, never the token. Bounded here. */
  readonly reason: string;
  readonly failedAt: Date;
}

const BUS_HEADER_NAMES: ReadonlySet<string> = new Set([
  ...Object.values(KAFKA_DEAD_LETTER_HEADERS),
  ...Object.values(KAFKA_TRUNCATED_DEAD_LETTER_HEADERS),
  ...Object.values(KAFKA_RETRY_HEADERS),
]);

/**
 * The record published to the dead-letter topic: the original key and value bytes untouched
 * (the same key keeps related messages on one partition there too), the original headers, and
 * the `bus-*` headers saying why and from where. A `bus-*` header of the original, e.g. from a
 * message replayed out of a dead-letter topic or a copy from the retry topic, is replaced by this failure's.
 */
export function toKafkaDeadLetterRecord(
  message: KafkaMessage,
  facts: KafkaDeadLetterFacts,
): Message {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined && !BUS_HEADER_NAMES.has(name)) headers[name] = value;
  }
  headers[KAFKA_DEAD_LETTER_HEADERS.reason] = boundFailureText(facts.reason);
  headers[KAFKA_DEAD_LETTER_HEADERS.originalTopic] = facts.topic;
  headers[KAFKA_DEAD_LETTER_HEADERS.originalPartition] = String(facts.partition);
  headers[KAFKA_DEAD_LETTER_HEADERS.originalOffset] = facts.offset;
  headers[KAFKA_DEAD_LETTER_HEADERS.consumerGroup] = facts.groupId;
  headers[KAFKA_DEAD_LETTER_HEADERS.attempts] = String(facts.attempts);
  headers[KAFKA_DEAD_LETTER_HEADERS.failedAt] = facts.failedAt.toISOString();
  return { key: message.key, value: message.value, headers };
}

/**
 * A dead-letter record the broker refused as too large, made to fit `maxBatchBytes` (the
 * topic's `max.message.bytes`): the same key and `bus-*` headers, the original's own headers
 * left out, and as much of the start of the value as fits, marked `bus-truncated: true` with
 * `bus-original-size`. The whole original stays in its own topic's log.
 */
export function toTruncatedKafkaDeadLetterRecord(record: Message, maxBatchBytes: number): Message {
  const value = typeof record.value === 'string' ? Buffer.from(record.value) : record.value;
  const headers: IHeaders = {};
  for (const [name, header] of Object.entries(record.headers ?? {})) {
    if (header !== undefined && BUS_HEADER_NAMES.has(name)) headers[name] = header;
  }
  headers[KAFKA_TRUNCATED_DEAD_LETTER_HEADERS.truncated] = 'true';
  headers[KAFKA_TRUNCATED_DEAD_LETTER_HEADERS.originalSize] = String(bytesOf(value));
  const empty: Message = { key: record.key, value: Buffer.alloc(0), headers };
  const room = Math.max(0, maxBatchBytes - kafkaRecordBatchBytes(empty));
  return { ...empty, value: value ? value.subarray(0, Math.min(room, value.length)) : null };
}
