import {
  getMetadataStorage,
  IS_OPTIONAL,
  ValidationTypes,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { MessageFieldIssue } from '../../errors/message-validation.error';
import { copyUntrustedJson, type JsonValue } from '../untrusted-json';
import { toFieldProblem } from './validation-issues';

/** Any class whose instances are validated (abstract ones included, for registration). */
export type DtoClass = abstract new () => object;

/** A conditional validation (IsOptional, ValidateIf): the property's checks run only when it holds. */
export type Condition = (object: object, value: unknown) => boolean;

/** Validates one JSON object into a DTO instance, or returns undefined with problems appended to `issues`. */
export type ValidateFunction<T extends object> = (
  value: { [key: string]: JsonValue },
  prefix: string,
  issues: MessageFieldIssue[],
) => T | undefined;

export interface CompiledCheck {
  readonly metadata: ValidationMetadata;
  readonly constraint: ValidatorConstraintInterface;
  /** The constraint's method, read once: each decorator registers its own constraint class. */
  readonly validate: ValidatorConstraintInterface['validate'];
  /**
   * The arguments of a passing call, reused from one message to the next so that a check
   * allocates nothing; `object` and `value` are set before the call and cleared after it, so
   * no message is kept alive. A failing check gets a fresh object for its message.
   */
  readonly args: ValidationArguments;
}

export interface CompiledProperty {
  readonly property: string;
  /** All must hold for the property to be validated. */
  readonly conditions: readonly Condition[];
  readonly checks: readonly CompiledCheck[];
}

/** Stands in for `ValidationArguments.object` between calls. */
export const NO_OBJECT: object = Object.freeze({});

/**
 * IsOptional's own condition reads `object[propertyName]` twice, which is the value the
 * direct path passes anyway; this equivalent one avoids the two lookups by name.
 */
export const isSet: Condition = (_object, value) => value !== null && value !== undefined;

/**
 * A DTO's class-validator rules, read from its metadata once and run directly: the same
 * checks, in the same order, with the same messages as validateSync under the DtoValidator
 * options (whitelist, stop at the first error per property), without its per-message
 * metadata lookups and allocations. Only for DTOs whose rules are synchronous custom
 * constraints and conditions (see `compile`).
 *
 * `validate` runs the rules with closures; generateValidate (generated-dto-validate.ts) turns
 * the same rules into straight-line code, which DtoValidator prefers where it is allowed.
 */
export class CompiledDtoRules<T extends object> {
  /** `object.constructor.name`, class-validator's `targetName`; read once, as `name` is a getter. */
  private readonly targetName: string;

  private constructor(
    readonly cls: new () => T,
    /** In validateSync's order (see `compile`), which is that of the copies and of the checks. */
    readonly properties: readonly CompiledProperty[],
  ) {
    this.targetName = cls.name;
  }

  /** The rules of a DTO the direct path can run exactly as class-validator would, else undefined. */
  static compile<T extends object>(cls: new () => T): CompiledDtoRules<T> | undefined {
    const storage = getMetadataStorage();
    const metadatas = storage.getTargetValidationMetadatas(cls, '', true, false);
    const targetName = cls.name;
    const properties: CompiledProperty[] = [];
    // Grouped by validateSync's own function, so that properties come in its order (which puts
    // integer-like names first, as object keys go).
    for (const [property, group] of Object.entries(storage.groupByPropertyName(metadatas))) {
      const conditions: Condition[] = [];
      const checks: CompiledCheck[] = [];
      for (const metadata of group) {
        if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
          conditions.push(
            metadata.name === IS_OPTIONAL ? isSet : (metadata.constraints[0] as Condition),
          );
          continue;
        }
        const plain =
          metadata.type === ValidationTypes.CUSTOM_VALIDATION &&
          !metadata.each &&
          !metadata.groups?.length;
        const perMetadataCondition = (metadata as { validateIf?: unknown }).validateIf;
        if (!plain || perMetadataCondition || metadata.context) return undefined;
        for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
          if ((constraint as { async?: boolean }).async) return undefined;
          const instance: ValidatorConstraintInterface = constraint.instance;
          checks.push({
            metadata,
            constraint: instance,
            validate: instance.validate,
            args: {
              targetName,
              property,
              object: NO_OBJECT,
              value: undefined,
              constraints: metadata.constraints,
            },
          });
        }
      }
      // One literal shape for every property keeps the loads in `validate` monomorphic.
      properties.push({ property, conditions, checks });
    }
    return new CompiledDtoRules(cls, properties);
  }

  /** The instance, or undefined with the problems appended to `issues` under `prefix`. */
  validate(
    value: { [key: string]: JsonValue },
    prefix: string,
    issues: MessageFieldIssue[],
  ): T | undefined {
    const properties = this.properties;
    const instance = new this.cls() as Record<string, unknown>;
    // Every value is in place before any check runs: conditions and constraints may read other properties.
    for (let i = 0; i < properties.length; i++) {
      const property = properties[i].property;
      if (!Object.hasOwn(value, property)) continue;
      const entry = value[property];
      // Objects are copied with the untrusted-JSON bounds and key filter; primitives need no copy.
      instance[property] =
        entry !== null && typeof entry === 'object'
          ? copyUntrustedJson(entry, `${prefix}.${property}`)
          : entry;
    }
    let valid = true;
    for (let i = 0; i < properties.length; i++) {
      const { property, conditions, checks } = properties[i];
      const propertyValue = instance[property];
      if (!allHold(conditions, instance, propertyValue)) continue;
      for (let j = 0; j < checks.length; j++) {
        const check = checks[j];
        const args = check.args;
        args.object = instance;
        args.value = propertyValue;
        const passed = check.validate.call(check.constraint, propertyValue, args);
        args.object = NO_OBJECT;
        args.value = undefined;
        if (passed) continue;
        issues.push(this.issueOf(check, property, prefix, instance, propertyValue));
        valid = false;
        break; // stopAtFirstError
      }
    }
    return valid ? (instance as T) : undefined;
  }

  /** The failure path: the path and message class-validator would give, built only now. */
  issueOf(
    { metadata, constraint }: CompiledCheck,
    property: string,
    prefix: string,
    object: object,
    value: unknown,
  ): MessageFieldIssue {
    const field = `${prefix}.${property}`;
    const args: ValidationArguments = {
      targetName: this.targetName,
      property,
      object,
      value,
      constraints: metadata.constraints,
    };
    return {
      field,
      problems: [toFieldProblem(property, field, messageOf(metadata, constraint, args))],
    };
  }
}

/** `conditions.every(...)` without a closure per property and message. */
function allHold(conditions: readonly Condition[], object: object, value: unknown): boolean {
  for (let i = 0; i < conditions.length; i++) {
    if (!conditions[i](object, value)) return false;
  }
  return true;
}

/** class-validator's message for a failed constraint: the `message` option, else the default, tokens replaced. */
function messageOf(
  metadata: ValidationMetadata,
  constraint: ValidatorConstraintInterface,
  args: ValidationArguments,
): string {
  const option = metadata.message as string | ((args: ValidationArguments) => string) | undefined;
  let text = option
    ? typeof option === 'function'
      ? option(args)
      : option
    : (constraint.defaultMessage?.(args) ?? '');
  (args.constraints ?? []).forEach((value: unknown, index: number) => {
    text = text.replace(
      new RegExp(`\\$constraint${index + 1}`, 'g'),
      Array.isArray(value) ? value.join(', ') : String(value),
    );
  });
  if (['string', 'boolean', 'number'].includes(typeof args.value))
    text = text.replace(/\$value/g, String(args.value));
  return text.replace(/\$property/g, args.property).replace(/\$target/g, args.targetName);
}
