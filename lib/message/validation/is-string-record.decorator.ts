import type { ValidationArguments, ValidationOptions } from 'class-validator';
import { registerFieldCheck } from './field-check';

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((entry) => typeof entry === 'string');
}

/** A required JSON object whose values are all strings (`Dict[str, str]` in the Python client). */
export function IsStringRecord(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerFieldCheck(target, propertyName, {
      name: 'isStringRecord',
      options,
      check: isStringRecord,
      defaultMessage: ({ property, value }: ValidationArguments) =>
        value === undefined || value === null
          ? `${property} is required`
          : `${property} must be an object whose values are all strings`,
    });
  };
}
