import { MessageValidationError } from '../errors/message-validation.error';
import { MessageBusMessage, type MessageParseOptions } from './message-bus-message';
import { isJsonObject, type JsonValue } from './untrusted-json';
import { toWireJson } from './wire-json';

/** What the clients send: a message, or a plain object (an envelope, or any JSON object). */
export type OutgoingMessage = MessageBusMessage | Readonly<Record<string, unknown>>;

/** An outgoing body, with the message it holds when it is an envelope. */
export interface EncodedMessageBody {
  readonly body: string;
  readonly message?: MessageBusMessage;
}

/** What a received body turned out to be. */
export interface DecodedMessageBody<TPayload extends object = object> {
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  readonly body: JsonValue;
  readonly message?: MessageBusMessage<TPayload>;
  readonly validationError?: MessageValidationError;
}

/**
 * Something that claims to be an envelope is held to the envelope rules; anything else
 * is just JSON. Either key is enough, so a half-built envelope is refused rather than
 * sent as an arbitrary object.
 */
export function looksLikeEnvelope(value: unknown): boolean {
  return (
    isJsonObject(value) && (Object.hasOwn(value, 'meta_data') || Object.hasOwn(value, 'payload'))
  );
}

/**
 * The body of an outgoing message on any transport: an envelope's `serialize()` (byte for
 * byte what the Python client sends), or a plain object in the same `json.dumps` format.
 * Throws `MessageValidationError` for an invalid envelope or a value that is not a plain
 * object, before anything reaches a broker.
 */
export function encodeMessageBody(
  input: OutgoingMessage,
  parseOptions: MessageParseOptions = {},
): EncodedMessageBody {
  if (input instanceof MessageBusMessage) return { body: input.serialize(), message: input };
  if (!isPlainObject(input)) {
    throw new MessageValidationError([
      { field: 'body', problems: ['body must be a MessageBusMessage or a plain object'] },
    ]);
  }
  if (looksLikeEnvelope(input)) {
    // Validated and re-serialised, so what goes out is exactly what a receiver accepts.
    const message = MessageBusMessage.fromJSON(input, parseOptions);
    return { body: message.serialize(), message };
  }
  let json: unknown;
  try {
    // A round trip through JSON applies toJSON() (dates, nested messages) as JSON.stringify would.
    json = JSON.parse(JSON.stringify(input));
  } catch {
    throw new MessageValidationError([
      { field: 'body', problems: ['body cannot be serialised as JSON'] },
    ]);
  }
  return { body: toWireJson(json) };
}

/**
 * Reads a received body: JSON when it parses, else the raw text; an envelope is validated,
 * and a failure is returned, not thrown, so one bad message never stops a batch.
 */
export function decodeMessageBody<TPayload extends object = object>(
  raw: string,
  parseOptions: MessageParseOptions = {},
): DecodedMessageBody<TPayload> {
  let body: JsonValue;
  try {
    body = JSON.parse(raw) as JsonValue;
  } catch {
    return { body: raw };
  }
  if (!looksLikeEnvelope(body)) return { body };
  try {
    return { body, message: MessageBusMessage.fromJSON<TPayload>(body as object, parseOptions) };
  } catch (error) {
    if (error instanceof MessageValidationError) return { body, validationError: error };
    throw error;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
