import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { isNonBlankString } from './is-non-blank-string.decorator';

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

/**
 * This property and `otherProperty` both name the message type (`instruction_type` / `event`):
 * at least one is set, as a non-blank string, and when both are this one decides, as the Python
 * client reads them. Put it on the winner; give the other `@IsOptional() @IsNonBlankString()`.
 * Writers set exactly one (see `MessageBusMessage.create` and `toDict`).
 */
export function WinsOver(otherProperty: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'winsOver',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [otherProperty],
      options,
      validator: {
        validate: (value: unknown, { object }: ValidationArguments) =>
          isAbsent(value)
            ? !isAbsent((object as Record<string, unknown>)[otherProperty])
            : isNonBlankString(value),
        defaultMessage: ({ property, value }: ValidationArguments) => {
          if (isAbsent(value)) return `${property} or ${otherProperty} is required`;
          return typeof value === 'string'
            ? `${property} must not be blank`
            : `${property} must be a string`;
        },
      },
    });
  };
}
