import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

const isString = (value: unknown): value is string => typeof value === 'string';

/**
 * A string with any content, blank included: the Python client's rule for an optional field
 * (`Optional[str]`), which it accepts as `""` or spaces and passes on as given. Pair it with
 * `@IsOptional()`; a required field takes `@IsNonBlankString()` instead.
 */
export function IsWireString(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isWireString',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: isString,
        defaultMessage: ({ property, value }: ValidationArguments) =>
          value === undefined || value === null
            ? `${property} is required`
            : `${property} must be a string`,
      },
    });
  };
}
