import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildMessageTypeRegistry } from '../../../lib/message/message-type-registry';
import {
  EventType,
  InstructionType,
  MessageBusMessage,
  type MessageTypeRegistry,
} from './message-model';
import { PAYLOAD_CASES, validMetaData, type Json, type PayloadCase } from './message-samples';
import { acceptedByPassingPath, fullValidation, referenceFromJson } from './reference-from-json';

/**
 * The passing path of fromJSON (MessageBusMessage.accept, generated-dto-accept.ts) against the
 * reference: class-validator's validateSync under the DtoValidator options, in fromJSON as it
 * was before (reference-from-json.ts), and the full validation alone. For every built-in type
 * of both peers, valid samples and systematic mutations of each field of meta_data and payload
 * must give the same outcome: accepted with equal instances (class, key order, values), or
 * refused with the same error class, message and field issues.
 */

type Input = string | Uint8Array | object;

/** Everything observable of one parse: the message's parts, or the error. */
function outcome(parse: () => { meta_data: object; payload: object }): unknown {
  try {
    const { meta_data: metaData, payload } = parse();
    return {
      accepted: true,
      metaData,
      metaDataKeys: Object.keys(metaData),
      metaDataPrototype: Object.getPrototypeOf(metaData),
      payload,
      payloadKeys: Object.keys(payload),
      payloadPrototype: Object.getPrototypeOf(payload),
    };
  } catch (error) {
    const { issues, fields } = error as { issues?: unknown; fields?: unknown };
    return {
      accepted: false,
      errorClass: (error as object).constructor,
      message: (error as Error).message,
      issues,
      fields,
    };
  }
}

interface Sample {
  readonly label: string;
  /** JSON text; written with keys as given, `__proto__` and `constructor` included. */
  readonly text: string;
  /** Nesting past the copy bound: compared with the full validation only (see reference-from-json.ts). */
  readonly fullOnly?: boolean;
}

/** Each way fromJSON is called: the text, its bytes, the parsed object. */
function inputsOf(text: string): [string, Input][] {
  const inputs: [string, Input][] = [
    ['text', text],
    ['bytes', Buffer.from(text, 'utf8')],
  ];
  try {
    inputs.push(['object', JSON.parse(text) as object]);
  } catch {
    // Not JSON: text and bytes only.
  }
  return inputs;
}

/** Where the three paths disagree on one sample, as readable lines. */
function mismatchesOf(sample: Sample, registry: MessageTypeRegistry): string[] {
  const found: string[] = [];
  for (const [form, input] of inputsOf(sample.text)) {
    const library = outcome(() => MessageBusMessage.fromJSON(input, { registry }));
    const full = outcome(() => fullValidation(input, registry));
    if (!isDeepStrictEqual(library, full))
      found.push(`${sample.label} (${form}): not the full path`);
    if (!sample.fullOnly) {
      const reference = outcome(() => referenceFromJson(input, registry));
      if (!isDeepStrictEqual(library, reference)) {
        found.push(`${sample.label} (${form}): not class-validator`);
      }
    }
  }
  // Whatever the passing path accepts, the reference accepts too, with equal parts.
  let parsed: unknown;
  try {
    parsed = JSON.parse(sample.text);
  } catch {
    return found;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return found;
  let accepted: MessageBusMessage | undefined;
  try {
    accepted = acceptedByPassingPath(parsed as Json as never, registry);
  } catch {
    // The full validation decides: compared above.
  }
  if (accepted) {
    const mine = outcome(() => accepted);
    const reference = outcome(() => referenceFromJson(sample.text, registry));
    if (!isDeepStrictEqual(mine, reference))
      found.push(`${sample.label}: accepted, unlike the reference`);
  }
  return found;
}

const LONG = 'x'.repeat(70_000);
/** Deeper than the untrusted-JSON copy bound (32 levels). */
const DEEP: unknown = Array.from({ length: 40 }).reduce<unknown>((inner) => ({ d: inner }), 'end');

/** Values a field is set to in turn; `undefined` deletes it. */
const FIELD_VALUES: readonly [string, unknown][] = [
  ['missing', undefined],
  ['null', null],
  ['a number', 5],
  ['zero', 0],
  ['a fraction', -1.5],
  ['true', true],
  ['false', false],
  ['an empty array', []],
  ['an array of a string', ['x']],
  ['an empty object', {}],
  ['an object', { nested: 'x' }],
  ['an object with a number', { nested: 1 }],
  ['an empty string', ''],
  ['spaces', '   '],
  ['tab and newline', '\t\n'],
  ['a no-break space', '\u00a0'],
  ['an ideographic space', '\u3000'],
  ['a byte order mark', '\ufeff'],
  ['U+0085', '\u0085'],
  ['U+001F', '\u001f'],
  ['a leading space', ' x'],
  ['a very long string', LONG],
  ['a number as a string', '12'],
  ['non-ASCII text', 'Zoë Müller ✓ 𝄞'],
  ['a lone surrogate', '\ud800'],
];

/** The field's own wrong values: other members of its enum in the wrong case, one not in it. */
function enumValues(allowed: readonly string[]): [string, unknown][] {
  return [
    ['not in the enum', 'SIDEWAYS'],
    ...allowed.flatMap((value): [string, unknown][] => [
      [`${value} in lower case`, value.toLowerCase()],
      [`${value} in upper case`, value.toUpperCase()],
      [`${value} with a space`, ` ${value}`],
    ]),
  ];
}

/** `source` with `field` set to `value` (deleted for undefined), keys otherwise in order. */
function withField(source: Json, field: string, value: unknown): Json {
  const copy: Json = { ...source };
  if (value === undefined) delete copy[field];
  else copy[field] = value;
  return copy;
}

function envelope(metaData: unknown, payload: unknown, extra: Json = {}): string {
  return JSON.stringify({
    ...(metaData === undefined ? {} : { meta_data: metaData }),
    ...(payload === undefined ? {} : { payload }),
    ...extra,
  });
}

/** Inserts a raw member as the first one of the object that starts at `marker` in the text. */
function withRawMember(text: string, marker: string, member: string): string {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`no ${marker} in ${text}`);
  const open = text.indexOf('{', at + marker.length);
  const empty = text[open + 1] === '}';
  return `${text.slice(0, open + 1)}${member}${empty ? '' : ','}${text.slice(open + 1)}`;
}

function samplesOf(entry: PayloadCase): Sample[] {
  const meta = validMetaData(entry.kind, entry.type);
  const typeField = entry.kind === 'instruction' ? 'instruction_type' : 'event';
  const samples: Sample[] = [{ label: 'valid', text: envelope(meta, entry.valid) }];
  const add = (label: string, text: string, deep = false): void => {
    samples.push({ label, text, fullOnly: deep });
  };

  const payloadFields = [
    ...new Set([
      ...Object.keys(entry.valid),
      ...entry.required,
      ...entry.optional,
      ...(entry.anyJson ?? []),
      ...(entry.otherShape ?? []),
    ]),
  ];
  for (const field of payloadFields) {
    const values = [...FIELD_VALUES, ...enumValues(entry.enums[field] ?? ['INBOUND'])];
    for (const [what, value] of values) {
      add(`payload.${field} ${what}`, envelope(meta, withField(entry.valid, field, value)));
    }
    add(
      `payload.${field} nested too deep`,
      envelope(meta, withField(entry.valid, field, DEEP)),
      true,
    );
  }
  for (const [field, allowed] of Object.entries(entry.enums)) {
    for (const value of allowed) {
      add(`payload.${field} = ${value}`, envelope(meta, withField(entry.valid, field, value)));
    }
  }
  // Only the optional fields, only the required ones, nothing.
  const requiredOnly = Object.fromEntries(
    Object.entries(entry.valid).filter(([field]) => !entry.optional.includes(field)),
  );
  add('payload with its required fields only', envelope(meta, requiredOnly));
  add('payload empty', envelope(meta, {}));
  add('payload missing', envelope(meta, undefined));
  for (const [what, value] of [
    ['null', null],
    ['an array', [entry.valid]],
    ['a string', 'payload'],
    ['a number', 1],
  ] as const) {
    add(`payload ${what}`, envelope(meta, value));
  }
  add('payload with an unknown field', envelope(meta, { ...entry.valid, extra_field: 'x' }));
  add(
    'payload with its keys reversed',
    envelope(meta, Object.fromEntries(Object.entries(entry.valid).reverse())),
  );
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    const member = `"${key}": {"polluted": "yes", "${payloadFields[0] ?? 'x'}": "P"}`;
    add(
      `payload with a ${key} key`,
      withRawMember(envelope(meta, entry.valid), '"payload"', member),
    );
    add(
      `meta_data with a ${key} key`,
      withRawMember(envelope(meta, entry.valid), '"meta_data"', member),
    );
    add(`body with a ${key} key`, withRawMember(envelope(meta, entry.valid), '', member));
  }

  for (const field of [
    'source',
    'created_at',
    'token',
    'idempotency_key',
    'instruction_type',
    'event',
    'ip_address',
  ]) {
    for (const [what, value] of FIELD_VALUES) {
      add(`meta_data.${field} ${what}`, envelope(withField(meta, field, value), entry.valid));
    }
  }
  const otherTypeField = typeField === 'event' ? 'instruction_type' : 'event';
  for (const [what, value] of [
    ['an unknown type', 'NOT_A_TYPE'],
    ['the type in lower case', entry.type.toLowerCase()],
    ['the type with a space', ` ${entry.type}`],
    [
      "another kind's type",
      entry.kind === 'instruction' ? EventType.NEW_PROFILE : InstructionType.PAYMENT,
    ],
  ] as const) {
    add(`meta_data.${typeField} ${what}`, envelope(withField(meta, typeField, value), entry.valid));
  }
  for (const [what, value] of [
    ['a known event', EventType.NEW_PROFILE],
    ['an unknown event', 'NOT_AN_EVENT'],
    ['an instruction type', InstructionType.PAYMENT],
    ['blank', ' '],
    ['null', null],
  ] as const) {
    add(
      `meta_data.${otherTypeField} beside, ${what}`,
      envelope({ ...meta, [otherTypeField]: value }, entry.valid),
    );
  }
  add('meta_data with an unknown field', envelope({ ...meta, extra: 'x' }, entry.valid));
  add(
    'meta_data with an ip address',
    envelope({ ...meta, ip_address: '203.0.113.7' }, entry.valid),
  );
  add('meta_data missing', envelope(undefined, entry.valid));
  for (const [what, value] of [
    ['null', null],
    ['an array', [meta]],
    ['a string', 'meta'],
    ['empty', {}],
  ] as const) {
    add(`meta_data ${what}`, envelope(value, entry.valid));
  }
  add('meta_data and payload broken', envelope({ ...meta, token: ' ' }, {}));
  add('body with an unknown member', envelope(meta, entry.valid, { extra: { a: 1 } }));
  return samples;
}

/** Bodies that are not envelopes at all, the same for every type. */
const BODY_SAMPLES: readonly Sample[] = [
  { label: 'an array', text: '[]' },
  { label: 'a string', text: '"x"' },
  { label: 'a number', text: '1' },
  { label: 'null', text: 'null' },
  { label: 'an empty object', text: '{}' },
  { label: 'not JSON', text: '{"meta_data": ' },
];

const FIXTURES = resolve(__dirname, '../../fixtures/wire');

// The mutations run on a module's registry; the default one shares its types and code.
const registries: [string, MessageTypeRegistry][] = [
  ['a module registry', buildMessageTypeRegistry([])],
];

describe.each(registries)(
  'fromJSON with %s: the passing path against the reference',
  (_name, registry) => {
    it.each(PAYLOAD_CASES.map((entry) => [`${entry.kind} ${entry.type}`, entry] as const))(
      'gives the same outcome on valid and mutated %s envelopes',
      (_type, entry) => {
        const samples = samplesOf(entry);
        // The mutations are many: hundreds per type.
        expect(samples.length).toBeGreaterThan(200);
        const mismatches = samples.flatMap((sample) => mismatchesOf(sample, registry));
        expect(mismatches).toEqual([]);
      },
    );

    it('takes the passing path for every valid sample and wire fixture', () => {
      const texts = [
        ...PAYLOAD_CASES.map((entry) =>
          envelope(validMetaData(entry.kind, entry.type), entry.valid),
        ),
        ...readdirSync(FIXTURES)
          .filter((file) => file.endsWith('.json'))
          .map((file) => readFileSync(join(FIXTURES, file), 'utf8')),
      ];
      for (const text of texts) {
        const accepted = acceptedByPassingPath(JSON.parse(text) as never, registry);
        expect(accepted, text).toBeInstanceOf(MessageBusMessage);
        expect(mismatchesOf({ label: 'fixture', text }, registry)).toEqual([]);
      }
    });

    it('gives the same outcome on bodies that are not envelopes', () => {
      expect(BODY_SAMPLES.flatMap((sample) => mismatchesOf(sample, registry))).toEqual([]);
    });
  },
);

describe('fromJSON bytes: the passing path against the reference', () => {
  const registry = buildMessageTypeRegistry([]);
  const valid = envelope(
    validMetaData('instruction', InstructionType.PAYMENT),
    PAYLOAD_CASES[0].valid,
  );

  it.each<[string, Uint8Array]>([
    [
      'invalid UTF-8',
      Buffer.concat([
        Buffer.from(valid.slice(0, 20)),
        Buffer.from([0xc3, 0x28]),
        Buffer.from(valid.slice(20)),
      ]),
    ],
    ['a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(valid)])],
    ['an encoded surrogate', Buffer.from([0x22, 0xed, 0xa0, 0x80, 0x22])],
    ['a Uint8Array', new Uint8Array(Buffer.from(valid))],
  ])('gives the same outcome on %s', (_case, bytes) => {
    const library = outcome(() => MessageBusMessage.fromJSON(bytes, { registry }));
    expect(library).toStrictEqual(outcome(() => fullValidation(bytes, registry)));
    expect(library).toStrictEqual(outcome(() => referenceFromJson(bytes, registry)));
  });
});

describe('fromJSON with Object.prototype polluted: the passing path against the reference', () => {
  const registry = buildMessageTypeRegistry([]);
  const payment = PAYLOAD_CASES[0];

  it.each(['currency', 'token', 'event', 'instruction_type'])(
    'leaves an envelope to the full validation while Object.prototype has %s',
    (name) => {
      const meta = validMetaData('instruction', InstructionType.PAYMENT);
      // class-transformer copies inherited members too: the full path is the reference here.
      const samples: Sample[] = [
        { label: 'valid', text: envelope(meta, payment.valid), fullOnly: true },
        {
          label: 'payload without it',
          text: envelope(meta, withField(payment.valid, name, undefined)),
          fullOnly: true,
        },
        {
          label: 'meta_data without it',
          text: envelope(withField(meta, name, undefined), payment.valid),
          fullOnly: true,
        },
      ];
      // Validators compiled first: class-validator's own metadata code trips over a polluted prototype.
      expect(mismatchesOf(samples[0], registry)).toEqual([]);
      const prototype = Object.prototype as Record<string, unknown>;
      prototype[name] = 'EUR';
      try {
        const parsed = JSON.parse(samples[0].text) as never;
        expect(acceptedByPassingPath(parsed, registry)).toBeUndefined();
        expect(samples.flatMap((sample) => mismatchesOf(sample, registry))).toEqual([]);
      } finally {
        delete prototype[name];
      }
      expect(acceptedByPassingPath(JSON.parse(samples[0].text) as never, registry)).toBeDefined();
    },
  );
});
