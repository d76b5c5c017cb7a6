import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

export function isNonBlankString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/**
 * A required string that is not empty and not only white space, the one rule the
 * Python client applies to every required field. Messages never include the value.
 */
export function IsNonBlankString(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isNonBlankString',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: isNonBlankString,
        defaultMessage: ({ property, value }: ValidationArguments) => {
          if (value === undefined || value === null) return `${property} is required`;
          if (typeof value !== 'string') return `${property} must be a string`;
          return `${property} must not be blank`;
        },
      },
    });
  };
}
