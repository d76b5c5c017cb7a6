import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  MessageValidationError,
  type MessageFieldIssue,
} from '../../../lib/errors/message-validation.error';
import { UnknownMessageTypeError } from '../../../lib/errors/unknown-message-type.error';
import { EventType } from '../../../lib/message/event-type.enum';
import { MessageBusMessage } from '../../../lib/message/message-bus-message';
import type { MessageKind } from '../../../lib/message/message-kind';
import type { MessageTypeRegistry } from '../../../lib/message/message-type-registry';
import { MetaData } from '../../../lib/message/meta-data';
import {
  copyUntrustedJson,
  isJsonObject,
  parseUntrustedJson,
  type JsonValue,
} from '../../../lib/message/untrusted-json';
import { isNonBlankString } from '../../../lib/message/validation/is-non-blank-string.decorator';
import { toFieldIssues } from '../../../lib/message/validation/validation-issues';

/**
 * `MessageBusMessage.fromJSON` as it was before the passing path (generated-dto-accept.ts),
 * with class-validator itself for both sections: plainToInstance + validateSync under the
 * DtoValidator options, on a fresh untrusted-JSON copy of each section (DtoValidator's general
 * path). The statements are those of fromJSON and its helpers at that time. Returns the
 * message's parts, or throws what fromJSON would throw. One known difference from the direct
 * path it stands for: that copies each property from depth 0, this the whole section, so the
 * nesting bound falls one level apart; the spec compares nesting cases with the full path.
 */
export function referenceFromJson(
  input: string | Uint8Array | object,
  registry: MessageTypeRegistry,
): { meta_data: object; payload: object } {
  const body = parseUntrustedJson(input);
  if (!isJsonObject(body)) {
    throw new MessageValidationError([{ field: 'body', problems: ['body must be a JSON object'] }]);
  }
  const issues: MessageFieldIssue[] = [];
  const metaData = section(MetaData, body.meta_data, 'meta_data', issues);
  const declared = declaredType(body.meta_data);
  if (declared?.overruled !== undefined && !isKnownEvent(registry, declared.overruled)) {
    issues.push(...new UnknownMessageTypeError('event', declared.overruled).issues);
  }
  const payloadClass = declared && registry.payloadClassFor(declared.kind, declared.type);
  const rawPayload = body.payload === undefined ? {} : body.payload;
  let payload: object | undefined;
  if (payloadClass) {
    payload = section(payloadClass, rawPayload, 'payload', issues);
  } else if (!isJsonObject(rawPayload)) {
    issues.push(sectionIssue('payload', rawPayload));
  }
  if (declared && !payloadClass) {
    const unknown = new UnknownMessageTypeError(declared.kind, declared.type);
    if (issues.length === 0) throw unknown;
    issues.push(...unknown.issues);
  }
  if (issues.length > 0 || !metaData || !payload) throw new MessageValidationError(issues);
  return { meta_data: metaData, payload };
}

function section<T extends object>(
  cls: new () => T,
  value: JsonValue | undefined,
  field: 'meta_data' | 'payload',
  issues: MessageFieldIssue[],
): T | undefined {
  if (!isJsonObject(value)) {
    issues.push(sectionIssue(field, value));
    return undefined;
  }
  return classValidatorReading(cls, value, field, issues);
}

/**
 * class-validator itself under the DtoValidator options, on a fresh untrusted-JSON copy: the
 * instance, or undefined with the issues appended under `prefix`.
 */
export function classValidatorReading<T extends object>(
  cls: new () => T,
  value: { [key: string]: JsonValue },
  prefix: string,
  issues: MessageFieldIssue[],
): T | undefined {
  const instance = plainToInstance(cls, copyUntrustedJson(value, prefix) as object);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: false,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
  });
  if (errors.length === 0) return instance;
  issues.push(...toFieldIssues(errors, prefix));
  return undefined;
}

function declaredType(
  metaData: JsonValue | undefined,
): { kind: MessageKind; type: string; overruled?: string } | undefined {
  if (!isJsonObject(metaData)) return undefined;
  const { instruction_type: instructionType, event } = metaData;
  if (isNonBlankString(instructionType)) {
    const overruled = isNonBlankString(event) ? event : undefined;
    return { kind: 'instruction', type: instructionType, overruled };
  }
  if (isNonBlankString(event) && (instructionType === undefined || instructionType === null)) {
    return { kind: 'event', type: event };
  }
  return undefined;
}

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

/** The full validation alone (fromJSON without its passing path): the code as it was before it. */
export function fullValidation(
  input: string | Uint8Array | object,
  registry: MessageTypeRegistry,
): MessageBusMessage {
  return (
    MessageBusMessage as unknown as {
      validate(body: JsonValue, registry: MessageTypeRegistry): MessageBusMessage;
    }
  ).validate(parseUntrustedJson(input), registry);
}

/** The message the passing path gives for a parsed body, or undefined when it leaves it to the full validation. */
export function acceptedByPassingPath(
  body: { [key: string]: JsonValue },
  registry: MessageTypeRegistry,
): MessageBusMessage | undefined {
  return (
    MessageBusMessage as unknown as {
      accept(body: object, registry: MessageTypeRegistry): MessageBusMessage | undefined;
    }
  ).accept(body, registry);
}
