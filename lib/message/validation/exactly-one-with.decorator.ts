import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { isNonBlankString } from './is-non-blank-string.decorator';

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

/**
 * This property and `otherProperty` form a pair of which exactly one is set, as a
 * non-blank string (`instruction_type` / `event`). Put it on one of the two; give the
 * other `@IsOptional() @IsNonBlankString()`.
 */
export function ExactlyOneWith(
  otherProperty: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'exactlyOneWith',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [otherProperty],
      options,
      validator: {
        validate: (value: unknown, { object }: ValidationArguments) => {
          const other = (object as Record<string, unknown>)[otherProperty];
          if (isAbsent(value)) return !isAbsent(other);
          return isAbsent(other) && isNonBlankString(value);
        },
        defaultMessage: ({ property, value, object }: ValidationArguments) => {
          const other = (object as Record<string, unknown>)[otherProperty];
          if (isAbsent(value) && isAbsent(other))
            return `${property} or ${otherProperty} is required`;
          if (!isAbsent(value) && !isAbsent(other)) {
            return `${property} and ${otherProperty} are mutually exclusive: set exactly one`;
          }
          return typeof value === 'string'
            ? `${property} must not be blank`
            : `${property} must be a string`;
        },
      },
    });
  };
}
