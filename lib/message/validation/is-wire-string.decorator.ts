import type { ValidationArguments, ValidationOptions } from 'class-validator';
import { registerFieldCheck } from './field-check';

const isString = (value: unknown): value is string => typeof value === 'string';

/**
 * A string with any content, blank included: the Python client's rule for an optional field
 * (`Optional[str]`), which it accepts as `""` or spaces and passes on as given. Pair it with
 * `@IsOptional()`; a required field takes `@IsNonBlankString()` instead.
 */
export function IsWireString(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerFieldCheck(target, propertyName, {
      name: 'isWireString',
      options,
      check: isString,
      defaultMessage: ({ property, value }: ValidationArguments) =>
        value === undefined || value === null
          ? `${property} is required`
          : `${property} must be a string`,
    });
  };
}
