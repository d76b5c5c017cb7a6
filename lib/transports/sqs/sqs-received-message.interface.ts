import type { MessageValidationError } from '../../errors/message-validation.error';
import type { MessageBusMessage } from '../../message/message-bus-message';
import type { JsonValue } from '../../message/untrusted-json';

/** SQS system attributes of a received message, under their SQS names; all are strings, as SQS sends them. */
export interface SqsSystemAttributes {
  readonly ApproximateReceiveCount?: string;
  readonly ApproximateFirstReceiveTimestamp?: string;
  /** Epoch milliseconds, as a string. */
  readonly SentTimestamp?: string;
  readonly SenderId?: string;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
  readonly SequenceNumber?: string;
  readonly [name: string]: string | undefined;
}

/** A message attribute as SQS delivers it: `String`, `Number` (as text) or `Binary`, optionally with a custom suffix. */
export interface SqsMessageAttribute {
  readonly dataType: string;
  readonly stringValue?: string;
  readonly binaryValue?: Uint8Array;
}

/** One message received from a queue, with the body already parsed and, when it is an envelope, validated. */
export interface SqsReceivedMessage<TPayload extends object = object> {
  /** Deletes the message, or changes its visibility; valid until its visibility timeout ends. */
  readonly receiptHandle: string;
  readonly messageId: string;
  /** The body exactly as received, e.g. for forwarding it unchanged to a dead-letter queue. */
  readonly rawBody: string;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  readonly body: JsonValue;
  /** The validated envelope, when the body is a valid bus message. */
  readonly message?: MessageBusMessage<TPayload>;
  /** Why the body was not accepted as an envelope, when it looked like one (has `meta_data` or `payload`). */
  readonly validationError?: MessageValidationError;
  /** `ApproximateReceiveCount` as a number: 1 on the first delivery. */
  readonly receiveCount: number;
  readonly attributes: SqsSystemAttributes;
  readonly messageAttributes: Readonly<Record<string, SqsMessageAttribute>>;
}
