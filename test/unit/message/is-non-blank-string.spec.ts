import { describe, expect, it } from 'vitest';
import { isNonBlankString } from '../../../lib/message/validation/is-non-blank-string.decorator';

/** The rule as written before its fast path for a printable ASCII first character. */
const reference = (value: unknown): boolean => typeof value === 'string' && value.trim().length > 0;

describe('isNonBlankString', () => {
  it('agrees with trim() for every UTF-16 code unit, alone, before a letter and before white space', () => {
    const disagreements: string[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) {
      const char = String.fromCharCode(unit);
      for (const text of [char, `${char}x`, `${char} `, ` ${char}`]) {
        if (isNonBlankString(text) !== reference(text)) disagreements.push(JSON.stringify(text));
      }
    }
    expect(disagreements).toEqual([]);
  });

  it.each(['', ' ', '\t\n\r', '\u00a0', '\u3000\u2028', '\ufeff'])(
    'refuses the blank %j',
    (text) => {
      expect(isNonBlankString(text)).toBe(false);
    },
  );

  it.each([null, undefined, 5, true, {}, ['a']])('refuses the non-string %j', (value) => {
    expect(isNonBlankString(value)).toBe(false);
  });
});
