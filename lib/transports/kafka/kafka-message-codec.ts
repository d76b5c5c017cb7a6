import { MessageValidationError } from '../../errors/message-validation.error';
import { MessageBusMessage, type MessageParseOptions } from '../../message/message-bus-message';
import { isJsonObject, type JsonValue } from '../../message/untrusted-json';
import { toWireJson } from '../../message/wire-json';

/** What `sendMessage` accepts: a message, or a plain object (an envelope, or any JSON object). */
export type KafkaOutgoingMessage = MessageBusMessage | Readonly<Record<string, unknown>>;

/** What a received value turned out to be. */
export interface KafkaIncomingValue<TPayload extends object = object> {
  /** The value parsed as JSON, or the raw text when it is not JSON; `null` for a record without a value. */
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
 * The record value of an outgoing message: an envelope's `serialize()` (byte for byte what
 * the Python client sends), or a plain object in the same `json.dumps` format. Throws
 * `MessageValidationError` for an invalid envelope or a value that is not a plain object,
 * before anything reaches the broker.
 */
export function toKafkaValue(
  input: KafkaOutgoingMessage,
  parseOptions: MessageParseOptions = {},
): string {
  if (input instanceof MessageBusMessage) return input.serialize();
  if (!isPlainObject(input)) {
    throw new MessageValidationError([
      { field: 'body', problems: ['body must be a MessageBusMessage or a plain object'] },
    ]);
  }
  if (looksLikeEnvelope(input)) {
    // Validated and re-serialised, so what goes out is exactly what a receiver accepts.
    return MessageBusMessage.fromJSON(input, parseOptions).serialize();
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
  return toWireJson(json);
}

/**
 * Reads a received value: JSON when it parses, else the raw text; an envelope is validated,
 * and a failure is returned, not thrown, so one bad record never stops a consumer.
 */
export function readKafkaValue<TPayload extends object = object>(
  value: Buffer | null,
  parseOptions: MessageParseOptions = {},
): KafkaIncomingValue<TPayload> {
  if (value === null) return { body: null };
  const raw = value.toString('utf8');
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
