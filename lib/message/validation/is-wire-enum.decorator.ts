import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';

/** A required field whose value is one of an enum's wire strings (case-sensitive, as on the bus). */
export function IsWireEnum(
  values: Record<string, string>,
  options?: ValidationOptions,
): PropertyDecorator {
  const allowed = new Set(Object.values(values));
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isWireEnum',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [[...allowed]],
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && allowed.has(value),
        defaultMessage: ({ property, value }: ValidationArguments) =>
          value === undefined || value === null
            ? `${property} is required`
            : `${property} must be one of ${[...allowed].join(', ')}`,
      },
    });
  };
}
