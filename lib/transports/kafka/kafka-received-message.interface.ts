import type { MessageValidationError } from '../../errors/message-validation.error';
import type { MessageBusMessage } from '../../message/message-bus-message';
import type { JsonValue } from '../../message/untrusted-json';
import type { KafkaOutgoingMessage } from './kafka-message-codec';
import type { KafkaRecordPosition } from './kafka-receipt-handle';

/** Where a sent message was written. */
export type KafkaSendResult = KafkaRecordPosition;

/** One message of `sendMessages`. */
export interface KafkaBatchEntry {
  readonly message: KafkaOutgoingMessage;
  /** Partition key: the same key always lands on the same partition, so its messages keep their order. */
  readonly key?: string;
  /** Record headers, sent beside the value (which they never change). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Options of `KafkaClient.receiveMessage`. */
export interface KafkaReceiveOptions {
  /** Consumer group. Default `${topic}_consumer_group`, as the Python client names it. */
  groupId?: string;
  /** Longest wait for a message, in milliseconds. Default 1000. Not spent on the first join of the group. */
  timeoutMs?: number;
  /**
   * Commit the message as it is handed out (at-most-once): it is not delivered again even
   * if processing it fails. Default false: commit with `commitOffset` once it is processed.
   */
  autoCommit?: boolean;
  /** Ends the wait early: the call then resolves `null`. */
  abortSignal?: AbortSignal;
}

/** One record received from a topic, with the value already parsed and, when it is an envelope, validated. */
export interface KafkaReceivedMessage<
  TPayload extends object = object,
> extends KafkaRecordPosition {
  /** `topic:partition:offset`, for `commitOffset`. */
  readonly receiptHandle: string;
  /** The consumer group it was read in. */
  readonly groupId: string;
  /** The partition key as UTF-8 text, `null` when the record has none. */
  readonly key: string | null;
  /** Header values as UTF-8 text; a header sent more than once is an array. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** Epoch milliseconds, as a string, as Kafka stores it. */
  readonly timestamp: string;
  /** The value exactly as received, e.g. for forwarding it unchanged to a dead-letter topic. */
  readonly rawValue: Buffer | null;
  /** The value parsed as JSON, or the raw text when it is not JSON; `null` for a record without a value. */
  readonly body: JsonValue;
  /** The validated envelope, when the value is a valid bus message. */
  readonly message?: MessageBusMessage<TPayload>;
  /** Why the value was not accepted as an envelope, when it looked like one (has `meta_data` or `payload`). */
  readonly validationError?: MessageValidationError;
}
