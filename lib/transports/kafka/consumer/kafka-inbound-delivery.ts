import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { InboundDelivery } from '../../../dispatch/inbound-delivery.interface';

const EMPTY = new Uint8Array(0);

/**
 * What the dispatcher gets for one record: the value bytes as they are (a record without a
 * value is an empty body, which the dispatcher rejects as invalid), the key and headers as
 * UTF-8 text, and the in-process attempt number.
 */
export function toKafkaInboundDelivery(
  topic: string,
  partition: number,
  message: KafkaMessage,
  attempt: number,
): InboundDelivery {
  return {
    transport: 'kafka',
    source: topic,
    body: message.value ?? EMPTY,
    attempt,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString('utf8') : undefined,
    headers: message.headers ? decodeKafkaHeaders(message.headers) : undefined,
  };
}

/**
 * Header values as UTF-8 text, or `undefined` when there is none (most records: no allocation).
 * A header sent more than once keeps its last value, as Java's `lastHeader()` reads it.
 */
export function decodeKafkaHeaders(headers: IHeaders): Record<string, string> | undefined {
  let decoded: Record<string, string> | undefined;
  for (const name in headers) {
    const text = kafkaHeaderText(headers[name]);
    if (text !== undefined) (decoded ??= {})[name] = text;
  }
  return decoded;
}

/** One header's value as UTF-8 text: the last one when it was sent more than once. */
export function kafkaHeaderText(value: IHeaders[string]): string | undefined {
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return last === undefined ? undefined : last.toString();
}
