import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EventType,
  InstructionType,
  MessageBusMessage,
  defaultMessageTypeRegistry,
} from './message-model';
import { runPython } from './python';

const FIXTURES = resolve(__dirname, '../../fixtures/wire');

interface Fixture {
  file: string;
  text: string;
  wire: { meta_data: Record<string, string>; payload: Record<string, unknown> };
}

const fixtures: Fixture[] = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => {
    // Read as bytes and decode as ASCII-safe latin1, so a stray non-ASCII byte cannot hide.
    const text = readFileSync(join(FIXTURES, file)).toString('latin1');
    return { file, text, wire: JSON.parse(text) as Fixture['wire'] };
  });

/** The types the Python client has a payload class for (peer-models.md §2); the Rust-only ones are in rust-samples.ts. */
const PYTHON_TYPES: readonly string[] = [
  InstructionType.PAYMENT,
  InstructionType.STATUS_UPDATE,
  InstructionType.CORRECTION,
  InstructionType.TRANSACTION,
  InstructionType.UPDATE_PROFILE,
  InstructionType.MINT,
  InstructionType.BURN,
  EventType.NEW_TRANSACTION,
  EventType.TRANSACTION_STATUS_UPDATE,
  EventType.NEW_BANK_PAYMENT,
  EventType.NEW_PROFILE,
  EventType.VERIFICATION_REQUESTED,
  EventType.PASSWORD_RESET_REQUESTED,
  EventType.KYC_EVENT,
  EventType.ADDRESS_ONBOARDED,
  EventType.RELAY_INITIATED,
  EventType.RELAY_COMPLETED,
  EventType.RELAY_ONBOARDED,
];

/** UPDATE_PROFILE is written with the Rust client's `profile_id` (first), which the Python client ignores. */
const PROFILE_ID = 'profile-3c71b0';

const cases = fixtures.map((fixture) => [fixture.file, fixture] as const);

describe('wire fixtures from the Python client', () => {
  it('include one file per type the Python client writes (7 instructions, 11 events)', () => {
    const builtIns = PYTHON_TYPES;
    expect(fixtures.map((fixture) => fixture.file).sort()).toEqual(
      builtIns.map((type) => `${type}.json`).sort(),
    );
  });

  it('include non-ASCII text, which Python escapes as \\u sequences', () => {
    const escaped = fixtures.filter((fixture) => /\\u[0-9a-f]{4}/.test(fixture.text));
    expect(escaped.length).toBeGreaterThan(0);
    expect(fixtures.find((fixture) => fixture.file === 'PAYMENT.json')?.text).toContain(
      'Jos\\u00e9 M\\u00fcller',
    );
    // A character outside the BMP, written by Python as a surrogate pair.
    expect(
      fixtures.some((fixture) => /\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}/.test(fixture.text)),
    ).toBe(true);
  });

  it('are exactly what Python json.dumps writes for them', () => {
    const script = [
      'import json, pathlib, sys',
      'for path in json.loads(sys.stdin.read()):',
      '    text = pathlib.Path(path).read_bytes().decode("ascii")',
      '    print(pathlib.Path(path).name, json.dumps(json.loads(text)) == text)',
    ].join('\n');
    const output = runPython(
      ['-c', script],
      JSON.stringify(fixtures.map((fixture) => join(FIXTURES, fixture.file))),
    );
    expect(output.trim().split('\n')).toEqual(fixtures.map((fixture) => `${fixture.file} True`));
  });

  it('are what their generator, make_fixtures.py, writes', () => {
    expect(runPython([join(FIXTURES, 'make_fixtures.py'), '--check'])).toBe('');
  });

  describe.each(cases)('%s', (file, fixture) => {
    const kind = fixture.wire.meta_data.instruction_type !== undefined ? 'instruction' : 'event';
    const type = fixture.wire.meta_data.instruction_type ?? fixture.wire.meta_data.event;

    it('is one line of ASCII with no trailing newline', () => {
      expect(fixture.text).toMatch(/^[\x20-\x7e]+$/);
      expect(file).toBe(`${type}.json`);
    });

    it('parses into the payload class of its type', () => {
      const message = MessageBusMessage.fromJSON(fixture.text);
      expect(message.kind).toBe(kind);
      expect(message.type).toBe(type);
      const payloadClass = defaultMessageTypeRegistry.payloadClassFor(kind, type);
      expect(payloadClass).toBeDefined();
      expect(message.payload).toBeInstanceOf(payloadClass!);
      expect(message.toDict()).toEqual(fixture.wire);
    });

    it('parses from its bytes as well', () => {
      const message = MessageBusMessage.fromJSON(readFileSync(join(FIXTURES, file)));
      expect(message.serialize()).toBe(fixture.text);
    });

    it('serialize() of the parsed message reproduces the file byte for byte', () => {
      expect(MessageBusMessage.fromJSON(fixture.text).serialize()).toBe(fixture.text);
      expect(Buffer.from(MessageBusMessage.fromJSON(fixture.text).serialize(), 'utf8')).toEqual(
        readFileSync(join(FIXTURES, file)),
      );
    });

    it('create() with the same fields writes the same text, apart from created_at', () => {
      const { meta_data: metaData, payload } = fixture.wire;
      const payloadClass = defaultMessageTypeRegistry.payloadClassFor(kind, type)!;
      const options = {
        source: metaData.source,
        ...(kind === 'instruction' ? { instructionType: type } : { event: type }),
        serviceToken: metaData.token,
        idempotencyKey: metaData.idempotency_key,
        ...(metaData.ip_address !== undefined ? { ipAddress: metaData.ip_address } : {}),
      };
      const strict = type === (InstructionType.UPDATE_PROFILE as string);
      const fields = strict ? { profile_id: PROFILE_ID, ...payload } : payload;
      const expected = strict
        ? fixture.text.replace('"payload": {', `"payload": {"profile_id": "${PROFILE_ID}", `)
        : fixture.text;
      for (const given of [Object.assign(new payloadClass(), fields), structuredClone(fields)]) {
        const created = MessageBusMessage.create({ ...options, payload: given });
        const createdAt = created.meta_data.created_at;
        expect(createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
        // meta_data comes first, so the first created_at in the text is its own.
        const text = created
          .serialize()
          .replace(`"created_at": "${createdAt}"`, `"created_at": "${metaData.created_at}"`);
        expect(text).toBe(expected);
      }
    });
  });
});
