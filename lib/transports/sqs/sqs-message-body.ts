import type { MessageParseOptions } from '../../message/message-bus-message';
import {
  decodeMessageBody,
  encodeMessageBody,
  type DecodedMessageBody,
  type OutgoingMessage,
} from '../../message/message-body';

export { looksLikeEnvelope } from '../../message/message-body';

/** What `sendMessage` accepts: a message, or a plain object (an envelope, or any JSON object). */
export type SqsOutgoingMessage = OutgoingMessage;

/** A body ready for SQS, with the envelope's idempotency key for FIFO deduplication. */
export interface SqsOutgoingBody {
  readonly body: string;
  readonly idempotencyKey?: string;
}

export type SqsIncomingBody<TPayload extends object = object> = DecodedMessageBody<TPayload>;

/** The SQS body of an outgoing message; see `encodeMessageBody`. */
export function toSqsOutgoingBody(
  input: SqsOutgoingMessage,
  parseOptions: MessageParseOptions = {},
): SqsOutgoingBody {
  const { body, message } = encodeMessageBody(input, parseOptions);
  return { body, idempotencyKey: message?.meta_data.idempotency_key };
}

/** Reads a received SQS body; see `decodeMessageBody`. */
export function readSqsIncomingBody<TPayload extends object = object>(
  raw: string,
  parseOptions: MessageParseOptions = {},
): SqsIncomingBody<TPayload> {
  return decodeMessageBody<TPayload>(raw, parseOptions);
}
