import type { ValidationArguments, ValidationOptions } from 'class-validator';
import { registerFieldCheck } from './field-check';
import { isNonBlankString } from './is-non-blank-string.decorator';

const isAbsent = (value: unknown): boolean => value === undefined || value === null;

/**
 * This property and `otherProperty` both name the message type (`instruction_type` / `event`):
 * at least one is set, as a non-blank string, and when both are this one decides, as the Python
 * client reads them. Put it on the winner; give the other `@IsOptional() @IsNonBlankString()`.
 * Writers set exactly one (see `MessageBusMessage.create` and `toDict`).
 */
export function WinsOver(otherProperty: string, options?: ValidationOptions): PropertyDecorator {
  const winsOver = (value: unknown, object: object): boolean =>
    isAbsent(value)
      ? !isAbsent((object as Record<string, unknown>)[otherProperty])
      : isNonBlankString(value);
  return (target: object, propertyName: string | symbol) => {
    registerFieldCheck(target, propertyName, {
      name: 'winsOver',
      constraints: [otherProperty],
      options,
      check: winsOver,
      defaultMessage: ({ property, value }: ValidationArguments) => {
        if (isAbsent(value)) return `${property} or ${otherProperty} is required`;
        return typeof value === 'string'
          ? `${property} must not be blank`
          : `${property} must be a string`;
      },
    });
  };
}
