import {
  registerDecorator,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidationOptions,
  type ValidatorConstraintInterface,
} from 'class-validator';

/**
 * The test a decorator applies to one property: its value and the object being validated,
 * nothing else (no `this`, no other validation argument, no side effect).
 */
export type FieldCheck = (value: unknown, object: object) => boolean;

export interface FieldCheckDecoratorOptions {
  /** class-validator's name of the constraint, e.g. `isNonBlankString`. */
  readonly name: string;
  readonly check: FieldCheck;
  readonly defaultMessage: (args: ValidationArguments) => string;
  readonly constraints?: unknown[];
  readonly options?: ValidationOptions;
}

/** The constraint class of each field check, with its test. */
const CHECKS = new WeakMap<object, FieldCheck>();

/**
 * Registers a class-validator property decorator whose test is a FieldCheck: class-validator
 * runs it as any custom constraint (same name, constraints, options and messages as
 * `registerDecorator` with a `validator` object), and the generated passing path
 * (generated-dto-accept.ts), knowing what it reads, calls the test itself.
 */
export function registerFieldCheck(
  target: object,
  propertyName: string | symbol,
  { name, check, defaultMessage, constraints, options }: FieldCheckDecoratorOptions,
): void {
  @ValidatorConstraint({ name })
  class FieldCheckConstraint implements ValidatorConstraintInterface {
    validate(value: unknown, args: ValidationArguments): boolean {
      return check(value, args.object);
    }

    defaultMessage(args: ValidationArguments): string {
      return defaultMessage(args);
    }
  }
  CHECKS.set(FieldCheckConstraint, check);
  registerDecorator({
    name,
    target: target.constructor,
    propertyName: propertyName as string,
    constraints,
    options,
    validator: FieldCheckConstraint,
  });
}

/** The test of a constraint class that registerFieldCheck made, else undefined. */
export function fieldCheckOf(constraintClass: unknown): FieldCheck | undefined {
  return typeof constraintClass === 'function' ? CHECKS.get(constraintClass) : undefined;
}
