import { describe, expect, it } from 'vitest';
import { isNonBlankString } from '../../../lib/message/validation/is-non-blank-string.decorator';
import { runPython } from './python';

/** Python's verdict, `bool(text.strip())`, for each text (sent as JSON; lone surrogates survive). */
function pythonNonBlank(texts: readonly string[]): boolean[] {
  const script = [
    'import json, sys',
    'sys.stdout.write("".join("1" if t.strip() else "0" for t in json.loads(sys.stdin.read())))',
  ].join('\n');
  return [...runPython(['-c', script], JSON.stringify(texts))].map((flag) => flag === '1');
}

describe('isNonBlankString', () => {
  // Peer models §1.1: blank is the Python client's `str.strip()`, not JavaScript's trim().
  it("agrees with Python's str.strip() for every UTF-16 code unit, alone, before a letter and before white space", () => {
    const texts: string[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) {
      const char = String.fromCharCode(unit);
      texts.push(char, `${char}x`, `${char} `, ` ${char}`);
    }
    const python = pythonNonBlank(texts);
    expect(python).toHaveLength(texts.length);
    const disagreements = texts.filter((text, index) => isNonBlankString(text) !== python[index]);
    expect(disagreements.map((text) => JSON.stringify(text))).toEqual([]);
  });

  it.each(['', ' ', '\t\n\r', '\u00a0', '\u3000\u2028', '\u001c\u001f', '\u0085'])(
    'refuses the blank %j',
    (text) => {
      expect(isNonBlankString(text)).toBe(false);
    },
  );

  // Python keeps these, so a required field holding one is accepted as the Python client accepts it.
  it.each(['\ufeff', '\u200b', ' \ufeff '])('accepts %j, which Python does not strip', (text) => {
    expect(isNonBlankString(text)).toBe(true);
  });

  it.each([null, undefined, 5, true, {}, ['a']])('refuses the non-string %j', (value) => {
    expect(isNonBlankString(value)).toBe(false);
  });
});
