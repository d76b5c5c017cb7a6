import { KafkaReceiptHandleError } from './errors/kafka-receipt-handle.error';
import { KAFKA_MAX_TOPIC_NAME_LENGTH } from './kafka.constants';

/** Where one received record sits: what `commitOffset` needs to mark it, and everything before it, done. */
export interface KafkaRecordPosition {
  readonly topic: string;
  readonly partition: number;
  /** Kafka offsets are 64-bit: kept as a decimal string, never a lossy number. */
  readonly offset: string;
}

/** Kafka's legal topic characters; none of them is `:`, so the handle splits without ambiguity. */
const TOPIC = /^[A-Za-z0-9._-]+$/;
const HANDLE = /^([A-Za-z0-9._-]+):(\d{1,10}):(\d{1,19})$/;
const MAX_PARTITION = 2 ** 31 - 1;
const MAX_OFFSET = 2n ** 63n - 1n;

/** `topic:partition:offset`, the receipt handle format the Python client uses. */
export function formatKafkaReceiptHandle(position: KafkaRecordPosition): string {
  return `${position.topic}:${position.partition}:${position.offset}`;
}

/**
 * Reads a receipt handle back into its position. Throws `KafkaReceiptHandleError` (reason
 * `malformed`) for anything that is not `topic:partition:offset` with a legal topic name,
 * a 32-bit partition and a 64-bit offset.
 */
export function parseKafkaReceiptHandle(handle: unknown): KafkaRecordPosition {
  const match = typeof handle === 'string' ? HANDLE.exec(handle) : null;
  if (!match || !isKafkaTopicName(match[1])) {
    throw new KafkaReceiptHandleError(
      typeof handle === 'string' ? handle : String(handle),
      'malformed',
    );
  }
  const partition = Number(match[2]);
  const offset = BigInt(match[3]);
  if (partition > MAX_PARTITION || offset > MAX_OFFSET) {
    throw new KafkaReceiptHandleError(handle as string, 'malformed');
  }
  return { topic: match[1], partition, offset: offset.toString() };
}

/** True for a name Kafka accepts as a topic. */
export function isKafkaTopicName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    name.length <= KAFKA_MAX_TOPIC_NAME_LENGTH &&
    name !== '.' &&
    name !== '..' &&
    TOPIC.test(name)
  );
}
