import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidatorOptions } from 'class-validator';
import type { MessageFieldIssue } from '../../errors/message-validation.error';
import { copyUntrustedJson, type JsonValue } from '../untrusted-json';
import { CompiledDtoRules, type DtoClass, type ValidateFunction } from './compiled-dto-rules';
import { generateAccept, type AcceptFunction } from './generated-dto-accept';
import { generateValidate } from './generated-dto-validate';
import { toFieldIssues } from './validation-issues';

const VALIDATOR_OPTIONS: ValidatorOptions = {
  // Drop fields no rule knows, so unknown input never reaches a handler or the wire.
  whitelist: true,
  forbidNonWhitelisted: false,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  // Keep values out of the error tree: they may be tokens or personal data.
  validationError: { target: false, value: false },
};

/**
 * Turns a plain JSON object into a validated DTO instance, with class-validator's rules and
 * messages and the options above (whitelist, stop at the first error per field).
 *
 * The library's own DTOs (MetaData and the built-in payloads, registered with
 * `DtoValidator.compile`) use only synchronous custom constraints and conditions (IsOptional,
 * ValidateIf) and no class-transformer decorators. Their rules are read from class-validator's
 * metadata once (CompiledDtoRules) and run directly, as generated straight-line code
 * (generateValidate) or, where code generation from strings is disallowed, as closures: many
 * times faster than plainToInstance + validateSync per message. Any other DTO (an app's own)
 * takes that general path, so class-transformer decorators such as @Type or @Transform keep
 * working on it.
 */
export class DtoValidator<T extends object> {
  private static readonly cache = new WeakMap<DtoClass, DtoValidator<object>>();

  private constructor(
    private readonly cls: new () => T,
    /** The direct path: generated code, else the compiled rules' closures; undefined for the general path. */
    private readonly direct: ValidateFunction<T> | undefined,
    /** Whether `direct` is generated code; for tests and diagnostics. */
    readonly isGenerated: boolean,
    /** The passing path of `direct` alone (generateAccept); undefined where it is not generated. */
    private readonly acceptor: AcceptFunction<T> | undefined,
  ) {}

  private static readonly compilable = new WeakSet<DtoClass>();

  /** Marks DTOs whose rules the direct path runs; only for classes known to satisfy its limits. */
  static compile(...classes: DtoClass[]): void {
    for (const cls of classes) DtoValidator.compilable.add(cls);
  }

  static for<T extends object>(cls: new () => T): DtoValidator<T> {
    let validator = DtoValidator.cache.get(cls);
    if (!validator) {
      const rules = DtoValidator.compilable.has(cls) ? CompiledDtoRules.compile(cls) : undefined;
      const generated = rules && generateValidate(rules);
      const direct: ValidateFunction<T> | undefined =
        generated ?? (rules && ((value, prefix, issues) => rules.validate(value, prefix, issues)));
      const acceptor = generated && generateAccept(rules);
      validator = new DtoValidator(cls, direct, generated !== undefined, acceptor);
      DtoValidator.cache.set(cls, validator);
    }
    return validator as DtoValidator<T>;
  }

  /** Whether this DTO runs on the direct path; for tests and diagnostics. */
  get isCompiled(): boolean {
    return this.direct !== undefined;
  }

  /** Whether `accept` can answer; for tests and diagnostics. */
  get canAccept(): boolean {
    return this.acceptor !== undefined;
  }

  /**
   * The instance `validate` would return, when `value` (a tree of plain JSON values, as
   * JSON.parse or copyUntrustedJson build) is certainly valid; else undefined, and `validate`
   * gives the verdict and the issues. Never undefined for a valid value of a DTO that
   * `canAccept`, always undefined for one that cannot.
   */
  accept(value: { [key: string]: JsonValue }): T | undefined {
    return this.acceptor?.(value);
  }

  /** The instance, or undefined with the problems appended to `issues` under `prefix`. */
  validate(
    value: { [key: string]: JsonValue },
    prefix: string,
    issues: MessageFieldIssue[],
  ): T | undefined {
    return this.direct
      ? this.direct(value, prefix, issues)
      : this.validateGeneral(value, prefix, issues);
  }

  private validateGeneral(
    value: { [key: string]: JsonValue },
    prefix: string,
    issues: MessageFieldIssue[],
  ): T | undefined {
    const instance = plainToInstance(this.cls, copyUntrustedJson(value, prefix) as object);
    const errors = validateSync(instance, VALIDATOR_OPTIONS);
    if (errors.length === 0) return instance;
    issues.push(...toFieldIssues(errors, prefix));
    return undefined;
  }
}
