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

/** Record headers as kafkajs sends them: string values only (sent as UTF-8); none is `undefined`. */
export function toHeaders(headers: unknown, argument: string): Record<string, string> | undefined {
  if (headers === undefined || headers === null) return undefined;
  if (typeof headers !== 'object' || Array.isArray(headers)) {
    throw new KafkaInvalidArgumentError(
      argument,
      'must be an object of header names to string values',
    );
  }
  const entries = Object.entries(headers);
  if (entries.length === 0) return undefined;
  for (const [name, value] of entries) {
    if (name === '') {
      throw new KafkaInvalidArgumentError(argument, 'has an empty header name: name every header');
    }
    if (typeof value !== 'string') {
      throw new KafkaInvalidArgumentError(
        `${argument}.${name}`,
        `must be a string (sent as UTF-8), got a ${typeof value}`,
      );
    }
  }
  return headers as Record<string, string>;
}
