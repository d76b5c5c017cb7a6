import { randomUUID } from 'node:crypto';
import { MessageValidationError, type MessageFieldIssue } from '../errors/message-validation.error';
import { UnknownMessageTypeError } from '../errors/unknown-message-type.error';
import { EventType } from './event-type.enum';
import type { InstructionType } from './instruction-type.enum';
import { typeFieldOf, type MessageKind } from './message-kind';
import { defaultMessageTypeRegistry, type MessageTypeRegistry } from './message-type-registry';
import { MetaData } from './meta-data';
import { isJsonObject, parseUntrustedJson, type JsonValue } from './untrusted-json';
import { DtoValidator } from './validation/dto-validator';
import { verbatimPropertiesOf } from './validation/is-json-value.decorator';
import { isNonBlankString } from './validation/is-non-blank-string.decorator';
import { requiredOnWriteFieldsOf } from './validation/required-on-write.decorator';
import { toWireJson } from './wire-json';

/** The envelope exactly as it travels on the bus. */
export interface WireMessage {
  meta_data: WireMetaData;
  payload: Record<string, unknown>;
}

export interface WireMetaData {
  source: string;
  created_at: string;
  token: string;
  idempotency_key: string;
  instruction_type?: string;
  event?: string;
  ip_address?: string;
}

export interface CreateMessageOptions<TPayload extends object = object> {
  /** The sending system, e.g. `BANKING_SERVICE`. */
  source: string;
  /** Set this for an instruction, or `event` for an event: exactly one of the two. */
  instructionType?: InstructionType | string;
  event?: EventType | string;
  /** An instance of the type's payload class, or a plain object of the same wire fields. */
  payload: TPayload | Record<string, unknown>;
  /** The service JWT, sent as `meta_data.token`. */
  serviceToken: string;
  /** Defaults to a fresh UUID v4. */
  idempotencyKey?: string;
  ipAddress?: string;
}

export interface MessageParseOptions {
  /** Where payload classes are looked up; defaults to `defaultMessageTypeRegistry`. */
  registry?: MessageTypeRegistry;
}

/**
 * A validated bus message. Its properties carry the wire names (`meta_data`, `payload`),
 * so `JSON.stringify(message)` is the wire JSON and `serialize()` is the exact text the
 * Python client produces for it.
 */
export class MessageBusMessage<TPayload extends object = object> {
  private constructor(
    readonly meta_data: MetaData,
    readonly payload: TPayload,
  ) {}

  /** Builds a new message: fills `created_at` (UTC, to the second) and the idempotency key, and validates it all. */
  static create<TPayload extends object = object>(
    options: CreateMessageOptions<TPayload>,
    parseOptions: MessageParseOptions = {},
  ): MessageBusMessage<TPayload> {
    const registry = parseOptions.registry ?? defaultMessageTypeRegistry;
    const hasInstruction =
      options.instructionType !== undefined && options.instructionType !== null;
    const hasEvent = options.event !== undefined && options.event !== null;
    if (hasInstruction === hasEvent) {
      throw new MessageValidationError([
        {
          field: 'meta_data.instruction_type',
          problems: [
            hasInstruction
              ? 'instructionType and event are mutually exclusive: pass exactly one'
              : 'instructionType or event is required',
          ],
        },
      ]);
    }
    const kind: MessageKind = hasInstruction ? 'instruction' : 'event';
    const type = String(hasInstruction ? options.instructionType : options.event);
    if (type.trim() === '') {
      throw new MessageValidationError([
        {
          field: `meta_data.${typeFieldOf(kind)}`,
          problems: [`${hasInstruction ? 'instructionType' : 'event'} must not be blank`],
        },
      ]);
    }
    // A reader takes a missing payload as `{}`; a writer is told to pass one, as Python's create is.
    if (options.payload === undefined || options.payload === null) {
      throw new MessageValidationError([{ field: 'payload', problems: ['payload is required'] }]);
    }
    assertPayloadClassMatches(registry, kind, type, options.payload);

    const wire = {
      meta_data: {
        source: options.source,
        created_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        token: options.serviceToken,
        idempotency_key: options.idempotencyKey ?? randomUUID(),
        [typeFieldOf(kind)]: type,
        ip_address: options.ipAddress,
      },
      payload: options.payload,
    };
    const message = MessageBusMessage.fromJSON<TPayload>(wire, parseOptions);
    assertWritable(message.payload, type);
    return message;
  }

  /**
   * Parses and validates untrusted input: a JSON text, its UTF-8 bytes, or a parsed object.
   * Throws `MessageValidationError` naming every offending field by its wire path, or
   * `UnknownMessageTypeError` when no payload class is registered for the type.
   */
  static fromJSON<TPayload extends object = object>(
    input: string | Uint8Array | object,
    options: MessageParseOptions = {},
  ): MessageBusMessage<TPayload> {
    const registry = options.registry ?? defaultMessageTypeRegistry;
    const body = parseUntrustedJson(input);
    if (isJsonObject(body)) {
      let accepted: MessageBusMessage | undefined;
      try {
        accepted = MessageBusMessage.accept(body, registry);
      } catch {
        // What threw is thrown again, or reported, by the full validation below.
      }
      if (accepted) return accepted as MessageBusMessage<TPayload>;
    }
    return MessageBusMessage.validate<TPayload>(body, registry);
  }

  /**
   * The message, when `body` is certainly a valid envelope of a type whose DTOs `canAccept`
   * (the library's own: MetaData and the built-in payloads); else undefined, and `validate`
   * decides. The same reading as `validate` on the passing path, without its bookkeeping:
   * an envelope naming both an instruction type and an event, an unknown type, a payload class
   * of the app's own, or any failing check leaves it to `validate`.
   */
  private static accept(
    body: { [key: string]: JsonValue },
    registry: MessageTypeRegistry,
  ): MessageBusMessage | undefined {
    const rawMetaData = body.meta_data;
    if (!isJsonObject(rawMetaData)) return undefined;
    const metaData = metaDataValidator().accept(rawMetaData);
    if (metaData === undefined) return undefined;
    // declaredType's reading of the raw meta_data, for the one case it leaves no doubt.
    const { instruction_type: instructionType, event } = rawMetaData;
    let kind: MessageKind;
    let type: string;
    if (isNonBlankString(instructionType)) {
      if (event !== undefined && event !== null) return undefined;
      kind = 'instruction';
      type = instructionType;
    } else if (
      isNonBlankString(event) &&
      (instructionType === undefined || instructionType === null)
    ) {
      kind = 'event';
      type = event;
    } else {
      return undefined;
    }
    const payloadClass = registry.payloadClassFor(kind, type);
    if (payloadClass === undefined) return undefined;
    const rawPayload = body.payload === undefined ? {} : body.payload;
    if (!isJsonObject(rawPayload)) return undefined;
    const payload = DtoValidator.for(payloadClass).accept(rawPayload);
    return payload === undefined ? undefined : new MessageBusMessage(metaData, payload);
  }

  /** The full reading of a parsed body: the message, or every issue found, thrown. */
  private static validate<TPayload extends object>(
    body: JsonValue,
    registry: MessageTypeRegistry,
  ): MessageBusMessage<TPayload> {
    if (!isJsonObject(body)) {
      throw new MessageValidationError([
        { field: 'body', problems: ['body must be a JSON object'] },
      ]);
    }

    const issues: MessageFieldIssue[] = [];
    const metaData = validateSection(MetaData, body.meta_data, 'meta_data', issues);

    // The payload is checked even when other meta_data fields are wrong, so that one error
    // lists everything to fix; only the type itself has to be readable.
    const declared = declaredType(body.meta_data);
    if (declared?.overruled !== undefined && !isKnownEvent(registry, declared.overruled)) {
      // The instruction decides, but Python still reads `event` as one of its event types.
      issues.push(...new UnknownMessageTypeError('event', declared.overruled).issues);
    }
    const payloadClass = declared && registry.payloadClassFor(declared.kind, declared.type);
    // No payload key reads as an empty payload, as in the Python client; `null` does not.
    const rawPayload = body.payload === undefined ? {} : body.payload;
    let payload: object | undefined;
    if (payloadClass) {
      payload = validateSection(payloadClass, rawPayload, 'payload', issues);
    } else if (!isJsonObject(rawPayload)) {
      issues.push(sectionIssue('payload', rawPayload));
    }

    if (declared && !payloadClass) {
      const unknown = new UnknownMessageTypeError(declared.kind, declared.type);
      if (issues.length === 0) throw unknown;
      issues.push(...unknown.issues);
    }
    if (issues.length > 0 || !metaData || !payload) throw new MessageValidationError(issues);
    return new MessageBusMessage(metaData, payload as TPayload);
  }

  get kind(): MessageKind {
    return this.meta_data.instruction_type != null ? 'instruction' : 'event';
  }

  /** The instruction type or event name. */
  get type(): string {
    return (this.meta_data.instruction_type ?? this.meta_data.event) as string;
  }

  /**
   * The wire object: unset fields omitted (never `null`), keys in the Python client's order.
   * Only the type that decides is written: a message read with both `instruction_type` and
   * `event` goes out with its `instruction_type` alone, which every peer reads the same way.
   */
  toDict(): WireMessage {
    const metaData = compact(this.meta_data);
    if (metaData.instruction_type !== undefined) delete metaData.event;
    return {
      meta_data: metaData as unknown as WireMetaData,
      payload: compact(this.payload, verbatimPropertiesOf(this.payload)),
    };
  }

  toJSON(): WireMessage {
    return this.toDict();
  }

  /** The exact text the Python client sends for this message (`json.dumps` defaults). */
  serialize(): string {
    return toWireJson(this.toDict());
  }
}

let metaDataDtoValidator: DtoValidator<MetaData> | undefined;

/** MetaData's validator, looked up once: not while the modules load, before it is compiled. */
function metaDataValidator(): DtoValidator<MetaData> {
  return (metaDataDtoValidator ??= DtoValidator.for(MetaData));
}

function validateSection<T extends object>(
  cls: new () => T,
  value: JsonValue | undefined,
  field: 'meta_data' | 'payload',
  issues: MessageFieldIssue[],
): T | undefined {
  if (!isJsonObject(value)) {
    issues.push(sectionIssue(field, value));
    return undefined;
  }
  return DtoValidator.for(cls).validate(value, field, issues);
}

/**
 * The kind and type the raw meta_data names, read as the Python client reads it: a readable
 * `instruction_type` decides, else `event` when there is no `instruction_type` at all.
 * `overruled` is an `event` set beside the instruction, which must still name an event.
 */
function declaredType(
  metaData: JsonValue | undefined,
): { kind: MessageKind; type: string; overruled?: string } | undefined {
  if (!isJsonObject(metaData)) return undefined;
  const { instruction_type: instructionType, event } = metaData;
  if (isNonBlankString(instructionType)) {
    // A blank or non-string event is reported by the meta_data rules already.
    const overruled = isNonBlankString(event) ? event : undefined;
    return { kind: 'instruction', type: instructionType, overruled };
  }
  if (isNonBlankString(event) && (instructionType === undefined || instructionType === null)) {
    return { kind: 'event', type: event };
  }
  return undefined;
}

/** An event this registry has a payload class for, or one the Python client's enum lists. */
function isKnownEvent(registry: MessageTypeRegistry, event: string): boolean {
  return (
    registry.payloadClassFor('event', event) !== undefined ||
    (Object.values(EventType) as string[]).includes(event)
  );
}

function sectionIssue(field: string, value: unknown): MessageFieldIssue {
  return {
    field,
    problems: [
      value === undefined || value === null
        ? `${field} is required`
        : `${field} must be a JSON object`,
    ],
  };
}

function assertPayloadClassMatches(
  registry: MessageTypeRegistry,
  kind: MessageKind,
  type: string,
  payload: unknown,
): void {
  const expected = registry.payloadClassFor(kind, type);
  if (!expected) throw new UnknownMessageTypeError(kind, type);
  const prototype =
    payload !== null && typeof payload === 'object' ? Object.getPrototypeOf(payload) : null;
  const isPlainObject = prototype === Object.prototype || prototype === null;
  if (
    payload !== null &&
    typeof payload === 'object' &&
    !isPlainObject &&
    !(payload instanceof expected)
  ) {
    const given = payload.constructor?.name ?? 'an unknown class';
    throw new MessageValidationError([
      {
        field: 'payload',
        problems: [`payload: ${kind} type ${type} takes a ${expected.name}, got a ${given}`],
      },
    ]);
  }
}

/**
 * A strict writer: the fields the reader takes as optional but another peer requires
 * (`@RequiredOnWrite`, e.g. UPDATE_PROFILE's `profile_id` for the Rust client) must be set.
 */
function assertWritable(payload: object, type: string): void {
  const issues: MessageFieldIssue[] = [];
  for (const [field, reason] of requiredOnWriteFieldsOf(payload)) {
    const value = (payload as Record<string, unknown>)[field];
    if (value !== undefined && value !== null) continue;
    issues.push({
      field: `payload.${field}`,
      problems: [`payload.${field} is required to write ${type}: ${reason}`],
    });
  }
  if (issues.length > 0) throw new MessageValidationError(issues);
}

/**
 * Own enumerable fields that are set, in insertion order; nested plain objects likewise.
 * `verbatim` fields (`@IsJsonValue`, any JSON) are kept exactly as held, `null`s included.
 */
function compact(source: object, verbatim?: ReadonlyMap<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && verbatim?.has(key)) {
      result[key] = value;
      continue;
    }
    if (value === undefined || value === null) continue;
    result[key] = isJsonObject(value) ? compact(value) : value;
  }
  return result;
}
