import { plainToInstance } from 'class-transformer';
import {
  getMetadataStorage,
  validateSync,
  type ValidationArguments,
  type ValidatorConstraintInterface,
  type ValidatorOptions,
} from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import type { MessageFieldIssue } from '../../errors/message-validation.error';
import { copyUntrustedJson, type JsonValue } from '../untrusted-json';
import { toFieldIssues, toFieldProblem } from './validation-issues';

const VALIDATOR_OPTIONS: ValidatorOptions = {
  // Drop fields no rule knows, so unknown input never reaches a handler or the wire.
  whitelist: true,
  forbidNonWhitelisted: false,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  // Keep values out of the error tree: they may be tokens or personal data.
  validationError: { target: false, value: false },
};

/** Any class whose instances are validated (abstract ones included, for registration). */
type DtoClass = abstract new () => object;

interface PropertyRule {
  readonly property: string;
  /** All must hold for the property to be validated (IsOptional, ValidateIf). */
  readonly conditions: ReadonlyArray<(object: object, value: unknown) => boolean>;
  readonly checks: ReadonlyArray<{ metadata: ValidationMetadata; constraint: ValidatorConstraintInterface }>;
}

/**
 * Turns a plain JSON object into a validated DTO instance, with class-validator's rules and
 * messages and the options above (whitelist, stop at the first error per field).
 *
 * The library's own DTOs (MetaData and the built-in payloads, registered with
 * `DtoValidator.compile`) use only synchronous custom constraints and conditions (IsOptional,
 * ValidateIf) and no class-transformer decorators. Their rules are read from class-validator's
 * metadata once and run directly, several times faster than plainToInstance + validateSync
 * per message. Any other DTO (an app's own) takes that general path, so class-transformer
 * decorators such as @Type or @Transform keep working on it.
 */
export class DtoValidator<T extends object> {
  private static readonly cache = new WeakMap<DtoClass, DtoValidator<object>>();

  private constructor(
    private readonly cls: new () => T,
    private readonly rules: readonly PropertyRule[] | undefined,
  ) {}

  private static readonly compilable = new WeakSet<DtoClass>();

  /** Marks DTOs whose rules the direct path runs; only for classes known to satisfy its limits. */
  static compile(...classes: DtoClass[]): void {
    for (const cls of classes) DtoValidator.compilable.add(cls);
  }

  static for<T extends object>(cls: new () => T): DtoValidator<T> {
    let validator = DtoValidator.cache.get(cls);
    if (!validator) {
      const rules = DtoValidator.compilable.has(cls) ? compileRules(cls) : undefined;
      validator = new DtoValidator(cls, rules);
      DtoValidator.cache.set(cls, validator);
    }
    return validator as DtoValidator<T>;
  }

  /** Whether this DTO runs on the direct path; for tests and diagnostics. */
  get isCompiled(): boolean {
    return this.rules !== undefined;
  }

  /** The instance, or undefined with the problems appended to `issues` under `prefix`. */
  validate(value: { [key: string]: JsonValue }, prefix: string, issues: MessageFieldIssue[]): T | undefined {
    return this.rules ? this.validateCompiled(this.rules, value, prefix, issues) : this.validateGeneral(value, prefix, issues);
  }

  private validateCompiled(
    rules: readonly PropertyRule[],
    value: { [key: string]: JsonValue },
    prefix: string,
    issues: MessageFieldIssue[],
  ): T | undefined {
    const instance = new this.cls() as Record<string, unknown>;
    for (const { property } of rules) {
      if (!Object.hasOwn(value, property)) continue;
      const entry = value[property];
      instance[property] = entry !== null && typeof entry === 'object' ? copyUntrustedJson(entry, `${prefix}.${property}`) : entry;
    }
    const found = issues.length;
    for (const rule of rules) {
      const propertyValue = instance[rule.property];
      if (!rule.conditions.every((condition) => condition(instance, propertyValue))) continue;
      for (const { metadata, constraint } of rule.checks) {
        const args: ValidationArguments = {
          targetName: this.cls.name,
          property: rule.property,
          object: instance,
          value: propertyValue,
          constraints: metadata.constraints,
        };
        if (constraint.validate(propertyValue, args)) continue;
        const field = `${prefix}.${rule.property}`;
        issues.push({ field, problems: [toFieldProblem(rule.property, field, messageOf(metadata, constraint, args))] });
        break; // stopAtFirstError
      }
    }
    return issues.length === found ? (instance as T) : undefined;
  }

  private validateGeneral(value: { [key: string]: JsonValue }, prefix: string, issues: MessageFieldIssue[]): T | undefined {
    const instance = plainToInstance(this.cls, copyUntrustedJson(value, prefix) as object);
    const errors = validateSync(instance, VALIDATOR_OPTIONS);
    if (errors.length === 0) return instance;
    issues.push(...toFieldIssues(errors, prefix));
    return undefined;
  }
}

/** The rules of a DTO the direct path can run exactly as class-validator would, else undefined. */
function compileRules(cls: DtoClass): PropertyRule[] | undefined {
  const storage = getMetadataStorage();
  const metadatas = storage.getTargetValidationMetadatas(cls, '', true, false);
  const byProperty = new Map<string, { conditions: PropertyRule['conditions'][number][]; checks: PropertyRule['checks'][number][] }>();
  for (const metadata of metadatas) {
    let rule = byProperty.get(metadata.propertyName);
    if (!rule) {
      rule = { conditions: [], checks: [] };
      byProperty.set(metadata.propertyName, rule);
    }
    if (metadata.type === 'conditionalValidation') {
      rule.conditions.push(metadata.constraints[0] as PropertyRule['conditions'][number]);
      continue;
    }
    const plain = metadata.type === 'customValidation' && !metadata.each && !metadata.groups?.length;
    const perMetadataCondition = (metadata as { validateIf?: unknown }).validateIf;
    if (!plain || perMetadataCondition || metadata.context) return undefined;
    for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
      if ((constraint as { async?: boolean }).async) return undefined;
      rule.checks.push({ metadata, constraint: constraint.instance });
    }
  }
  return [...byProperty].map(([property, rule]) => ({ property, ...rule }));
}

/** class-validator's message for a failed constraint: the `message` option, else the default, tokens replaced. */
function messageOf(metadata: ValidationMetadata, constraint: ValidatorConstraintInterface, args: ValidationArguments): string {
  const option = metadata.message as string | ((args: ValidationArguments) => string) | undefined;
  let text = option ? (typeof option === 'function' ? option(args) : option) : (constraint.defaultMessage?.(args) ?? '');
  (args.constraints ?? []).forEach((value: unknown, index: number) => {
    text = text.replace(new RegExp(`\\$constraint${index + 1}`, 'g'), Array.isArray(value) ? value.join(', ') : String(value));
  });
  if (['string', 'boolean', 'number'].includes(typeof args.value)) text = text.replace(/\$value/g, String(args.value));
  return text.replace(/\$property/g, args.property).replace(/\$target/g, args.targetName);
}
