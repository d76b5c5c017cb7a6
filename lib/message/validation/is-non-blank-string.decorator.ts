import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

export function isNonBlankString(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  // A first character from '!' to '~' is not white space, so trim() would keep it: the usual
  // case needs no scan (and no trimmed copy) of the string.
  const first = value.charCodeAt(0);
  return (first > 0x20 && first < 0x7f) || value.trim().length > 0;
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
