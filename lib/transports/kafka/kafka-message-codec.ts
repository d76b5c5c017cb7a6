import type { MessageParseOptions } from '../../message/message-bus-message';
import {
  decodeMessageBody,
  encodeMessageBody,
  type DecodedMessageBody,
  type OutgoingMessage,
} from '../../message/message-body';

export { looksLikeEnvelope } from '../../message/message-body';

/** What `sendMessage` accepts: a message, or a plain object (an envelope, or any JSON object). */
export type KafkaOutgoingMessage = OutgoingMessage;

/** What a received value turned out to be; `body` is `null` for a record without a value. */
export type KafkaIncomingValue<TPayload extends object = object> = DecodedMessageBody<TPayload>;

/** The record value of an outgoing message; see `encodeMessageBody`. */
export function toKafkaValue(
  input: KafkaOutgoingMessage,
  parseOptions: MessageParseOptions = {},
): string {
  return encodeMessageBody(input, parseOptions).body;
}

/** Reads a received record value; see `decodeMessageBody`. */
export function readKafkaValue<TPayload extends object = object>(
  value: Buffer | null,
  parseOptions: MessageParseOptions = {},
): KafkaIncomingValue<TPayload> {
  return value === null
    ? { body: null }
    : decodeMessageBody<TPayload>(value.toString('utf8'), parseOptions);
}
