import { describe, expect, it } from 'vitest';
import { toWireJson } from './message-model';
import { pythonJsonDumps, runPython } from './python';

const controls = Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).join('');

/** Values whose text is the same in both languages; the strings are the hard part. */
const VALUES: readonly unknown[] = [
  'plain ASCII',
  '',
  'quote " backslash \\ slash / tick \' tab \t',
  controls,
  'DEL \u007f and NBSP \u00a0',
  'José Müller, Zoë, Ünïcödé',
  'euro € em-dash — check ✓ CJK 中文 Cyrillic Ж',
  'astral 😀 💶 𝄞',
  'separators \u2028 \u2029 BOM \ufeff last BMP \uffff',
  'lone surrogates \ud800 and \udfff',
  0,
  -1,
  42,
  9007199254740991,
  1.5,
  -0.25,
  0.1,
  true,
  false,
  null,
  [],
  {},
  ['a', 1, null, [true, {}]],
  { b: 'second key first', a: ['x', { ключ: 'значение' }], '': 'empty key', 'k\u00e9y': 'é' },
  {
    meta_data: { source: 'S', created_at: '2026-03-14T09:26:53Z' },
    payload: { payer_name: 'José' },
  },
];

describe('toWireJson', () => {
  it('writes exactly what Python json.dumps writes, value by value', () => {
    const python = pythonJsonDumps(VALUES);
    expect(python).toHaveLength(VALUES.length);
    VALUES.forEach((value, index) => {
      expect({ value, text: toWireJson(value) }).toEqual({ value, text: python[index] });
    });
  });

  it('writes ASCII only', () => {
    for (const value of VALUES) expect(toWireJson(value)).toMatch(/^[\x20-\x7e]*$/);
  });

  it('keeps insertion order of keys, as Python dicts do', () => {
    expect(toWireJson({ z: 1, a: 2, m: 3 })).toBe('{"z": 1, "a": 2, "m": 3}');
  });

  it('leaves out undefined members, which JSON has no way to write', () => {
    expect(toWireJson({ a: undefined, b: 'x' })).toBe('{"b": "x"}');
  });
});

/**
 * Where the two cannot agree: a JavaScript number keeps no trace of how it was written, so
 * `1.0`, a trailing zero, an exponent's padding or an integer beyond 2^53 come back in
 * JavaScript's own spelling, while Python keeps a float's `1.0` and an int's every digit. The
 * README's byte-compatibility claim stops at this table; strings never differ.
 */
const NUMBER_TEXTS: readonly (readonly [wire: string, javascript: string])[] = [
  ['1.0', '1'],
  ['100.50', '100.5'],
  ['1e-07', '1e-7'],
  ['1000000000000000000000', '1e+21'],
  ['12345678901234567890', '12345678901234567000'],
];

describe('numbers read and written again', () => {
  it('come back in JavaScript spelling, where Python keeps its own (documented limit)', () => {
    const python = runPython(
      [
        '-c',
        'import json, sys\nfor text in json.loads(sys.stdin.read()):\n    print(json.dumps(json.loads(text)))',
      ],
      JSON.stringify(NUMBER_TEXTS.map(([wire]) => wire)),
    )
      .split('\n')
      .filter((line) => line !== '');
    expect(python).toEqual([
      '1.0',
      '100.5',
      '1e-07',
      '1000000000000000000000',
      '12345678901234567890',
    ]);
    expect(NUMBER_TEXTS.map(([wire]) => toWireJson(JSON.parse(wire)))).toEqual(
      NUMBER_TEXTS.map(([, javascript]) => javascript),
    );
  });
});
