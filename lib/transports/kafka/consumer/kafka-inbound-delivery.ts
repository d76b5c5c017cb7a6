import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { TransportName } from '../../../interfaces/transport-name';
import type { InboundDelivery } from '../../../dispatch/inbound-delivery.interface';

const EMPTY = new Uint8Array(0);
/** `key` or `headers` not read yet. */
const UNREAD = Symbol('unread');

/**
 * What the dispatcher gets for one record: the value bytes as they are (a record without a
 * value is an empty body, which the dispatcher rejects as invalid), the key and headers as
 * UTF-8 text, and the in-process attempt number.
 *
 * The key and the headers are decoded when first read, not for every record: on the passing
 * path nothing reads them (only a span, a log line or a handler's `getDelivery()` does), and
 * turning a key's bytes into text costs more than the rest of the delivery. `toJSON` gives the
 * plain object, so that a delivery serialises with all its fields.
 */
export class KafkaInboundDelivery implements InboundDelivery {
  readonly transport: TransportName = 'kafka';
  readonly body: Uint8Array;
  private decodedKey: string | undefined | typeof UNREAD = UNREAD;
  private decodedHeaders: Record<string, string> | undefined | typeof UNREAD = UNREAD;

  constructor(
    readonly source: string,
    readonly partition: number,
    readonly offset: string,
    readonly attempt: number,
    private readonly record: KafkaMessage,
  ) {
    this.body = record.value ?? EMPTY;
  }

  get key(): string | undefined {
    if (this.decodedKey === UNREAD) {
      const { key } = this.record;
      this.decodedKey = key ? key.toString('utf8') : undefined;
    }
    return this.decodedKey;
  }

  get headers(): Readonly<Record<string, string>> | undefined {
    if (this.decodedHeaders === UNREAD) {
      const { headers } = this.record;
      this.decodedHeaders = headers ? decodeKafkaHeaders(headers) : undefined;
    }
    return this.decodedHeaders;
  }

  toJSON(): InboundDelivery {
    const { transport, source, body, attempt, partition, offset, key, headers } = this;
    return {
      transport,
      source,
      body,
      attempt,
      partition,
      offset,
      ...(key === undefined ? {} : { key }),
      ...(headers === undefined ? {} : { headers }),
    };
  }
}

/**
 * The delivery of `message`, its `attempt`-th, from `topic`'s `partition`; `offset` is the
 * record's own unless given (a retry copy's delivery names its original's).
 */
export function toKafkaInboundDelivery(
  topic: string,
  partition: number,
  message: KafkaMessage,
  attempt: number,
  offset: string = message.offset,
): KafkaInboundDelivery {
  return new KafkaInboundDelivery(topic, partition, offset, attempt, message);
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
