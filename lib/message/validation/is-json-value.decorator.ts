import type { ValidationArguments, ValidationOptions } from 'class-validator';
import { ClassFieldMarks } from './class-field-marks';
import { registerFieldCheck } from './field-check';

/** The properties written exactly as held, `null` and nested `null`s included. */
const VERBATIM = new ClassFieldMarks<true>();

const isDefined = (value: unknown): boolean => value !== undefined;

/**
 * A key that must be present with any JSON value, `null` included (the Rust client's
 * `serde_json::Value`, e.g. a notification's `data`). The value is written back exactly as
 * held: `null` stays `null`, nested nulls stay, key order is kept.
 */
export function IsJsonValue(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    VERBATIM.mark(target, propertyName as string, true);
    registerFieldCheck(target, propertyName, {
      name: 'isJsonValue',
      options,
      check: isDefined,
      defaultMessage: ({ property }: ValidationArguments) =>
        `${property} is required (any JSON value, null included)`,
    });
  };
}

/** The properties of `instance` (its class or one it extends) declared with `@IsJsonValue()`. */
export function verbatimPropertiesOf(instance: object): ReadonlyMap<string, true> {
  return VERBATIM.of(instance);
}
