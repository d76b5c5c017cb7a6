import type { ValidationArguments, ValidationOptions } from 'class-validator';
import { registerFieldCheck } from './field-check';

/** A required field whose value is one of an enum's wire strings (case-sensitive, as on the bus). */
export function IsWireEnum(
  values: Record<string, string>,
  options?: ValidationOptions,
): PropertyDecorator {
  const allowed = new Set(Object.values(values));
  const isAllowed = (value: unknown): boolean => typeof value === 'string' && allowed.has(value);
  return (target: object, propertyName: string | symbol) => {
    registerFieldCheck(target, propertyName, {
      name: 'isWireEnum',
      constraints: [[...allowed]],
      options,
      check: isAllowed,
      defaultMessage: ({ property, value }: ValidationArguments) =>
        value === undefined || value === null
          ? `${property} is required`
          : `${property} must be one of ${[...allowed].join(', ')}`,
    });
  };
}
