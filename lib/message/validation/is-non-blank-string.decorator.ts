import type { ValidationArguments, ValidationOptions } from 'class-validator';
import { registerFieldCheck } from './field-check';

/**
 * The characters Python's `str.strip()` removes (`str.isspace()`): blankness is the Python
 * client's, so a value it accepts is accepted here and one it refuses is refused. It differs
 * from JavaScript's `trim()` in U+001C–U+001F and U+0085 (white space to Python only) and
 * U+FEFF (white space to JavaScript only).
 */
const PYTHON_WHITE_SPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
  0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000,
]);

/** A string that is not empty after Python's `str.strip()`; all of the set above is in the BMP. */
export function isNonBlankString(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  // A first character from '!' to '~' is not white space: the usual case needs no scan.
  const first = value.charCodeAt(0);
  if (first > 0x20 && first < 0x7f) return true;
  for (let i = 0; i < value.length; i++) {
    if (!PYTHON_WHITE_SPACE.has(value.charCodeAt(i))) return true;
  }
  return false;
}

/**
 * A required string that is not empty and not only white space, the one rule the
 * Python client applies to every required field. Messages never include the value.
 */
export function IsNonBlankString(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerFieldCheck(target, propertyName, {
      name: 'isNonBlankString',
      options,
      check: isNonBlankString,
      defaultMessage: ({ property, value }: ValidationArguments) => {
        if (value === undefined || value === null) return `${property} is required`;
        if (typeof value !== 'string') return `${property} must be a string`;
        return `${property} must not be blank`;
      },
    });
  };
}
