import { defaultKafkaGroupId } from '../../options/consumer-defaults';
import { KafkaInvalidArgumentError } from './errors/kafka-invalid-argument.error';
import { isKafkaTopicName } from './kafka-receipt-handle';

/** The argument checks of `KafkaClient`, made before any I/O. */

export function assertTopic(topic: unknown): asserts topic is string {
  if (!isKafkaTopicName(topic)) {
    throw new KafkaInvalidArgumentError(
      'topic',
      `must be a Kafka topic name (1-249 of a-z, A-Z, 0-9, ".", "_", "-"), got ${JSON.stringify(topic) ?? String(topic)}`,
    );
  }
}

/** The group to read in: the one given, or `${topic}_consumer_group`. */
export function resolveGroupId(topic: string, groupId: unknown): string {
  if (groupId === undefined || groupId === null) return defaultKafkaGroupId(topic);
  if (typeof groupId !== 'string' || groupId.trim() === '') {
    throw new KafkaInvalidArgumentError(
      'options.groupId',
      'must be a non-blank string, or unset for `${topic}_consumer_group`',
    );
  }
  return groupId;
}

export function checkTimeoutMs(timeoutMs: unknown): asserts timeoutMs is number {
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new KafkaInvalidArgumentError(
      'options.timeoutMs',
      `must be a number of milliseconds of at least 0, got ${String(timeoutMs)}`,
    );
  }
}

/** As the Python client: a missing or empty key means no key, i.e. the partitioner spreads the messages. */
export function toKey(key: unknown, argument: string): string | null {
  if (key === undefined || key === null || key === '') return null;
  if (typeof key !== 'string')
    throw new KafkaInvalidArgumentError(
      argument,
      `must be a string (sent as UTF-8), got a ${typeof key}`,
    );
  return key;
}
