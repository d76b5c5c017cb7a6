import { describe, expect, it } from 'vitest';
import {
  EventType,
  InstructionType,
  MessageBusMessage,
  MessageValidationError,
  TransactionType,
  UnknownMessageTypeError,
  toWireJson,
} from './message-model';
import {
  PAYLOAD_CASES,
  payloadCase,
  thrown,
  without,
  wireMessage,
  type Json,
  type PayloadCase,
} from './message-samples';

function parse(entry: PayloadCase, payload: unknown): MessageBusMessage {
  return MessageBusMessage.fromJSON(wireMessage(entry.kind, entry.type, payload));
}

/** The validation error `payload` causes, which must be a plain MessageValidationError. */
function rejection(entry: PayloadCase, payload: unknown): MessageValidationError {
  const error = thrown(() => parse(entry, payload));
  expect(error).toBeInstanceOf(MessageValidationError);
  expect(error).not.toBeInstanceOf(UnknownMessageTypeError);
  return error as MessageValidationError;
}

/** Asserts that `payload` is rejected for exactly `field`, and that every message names it. */
function expectRejectedFor(
  entry: PayloadCase,
  payload: unknown,
  field: string,
): MessageValidationError {
  const error = rejection(entry, payload);
  expect(error.fields).toEqual([`payload.${field}`]);
  for (const problem of error.issues[0].problems) expect(problem).toContain(`payload.${field}`);
  expect(error.message).toContain(`payload.${field}`);
  return error;
}

const requiredFields = PAYLOAD_CASES.flatMap((entry) =>
  entry.required.map((field) => ({ entry, field })),
);
const optionalFields = PAYLOAD_CASES.flatMap((entry) =>
  entry.optional.map((field) => ({ entry, field })),
);
const enumFields = PAYLOAD_CASES.flatMap((entry) =>
  Object.entries(entry.enums).map(([field, allowed]) => ({ entry, field, allowed })),
);
const BLANKS = ['', '   ', '\t\n'];
const anyJsonFields = PAYLOAD_CASES.flatMap((entry) =>
  (entry.anyJson ?? []).map((field) => ({ entry, field })),
);

/** The value in the other letter case: enums match case-sensitively (`info` vs `INFO`). */
const flipCase = (value: string): string =>
  value === value.toLowerCase() ? value.toUpperCase() : value.toLowerCase();

describe('payload DTOs', () => {
  it('cover every built-in type that has a payload class, and only those', () => {
    const covered = PAYLOAD_CASES.map((entry) => entry.type).sort();
    // Every type either peer defines, NEW_USER (the Rust client's shape) and every notification included.
    const expected = [...Object.values(InstructionType), ...Object.values(EventType)].sort();
    expect(covered).toEqual(expected);
  });

  describe.each(PAYLOAD_CASES.map((entry) => [entry.type, entry] as const))(
    '%s',
    (_type, entry) => {
      it('lists every field the DTO declares as required or optional', () => {
        const declared = Object.keys(new entry.payloadClass()).sort();
        const listed = [
          ...entry.required,
          ...entry.optional,
          ...(entry.anyJson ?? []),
          ...(entry.otherShape ?? []),
        ];
        expect(listed.sort()).toEqual(declared);
      });

      it(`accepts a valid payload as a ${entry.payloadClass.name}`, () => {
        const message = parse(entry, entry.valid);
        expect(message.payload).toBeInstanceOf(entry.payloadClass);
        expect(message.payload).toEqual(Object.assign(new entry.payloadClass(), entry.valid));
        expect(message.toDict().payload).toEqual(entry.valid);
      });

      it('accepts only the required fields', () => {
        const minimal = Object.fromEntries(
          [...entry.required, ...(entry.anyJson ?? [])].map((field) => [field, entry.valid[field]]),
        );
        expect(parse(entry, minimal).toDict().payload).toEqual(minimal);
      });
    },
  );

  describe('required fields', () => {
    it.each(requiredFields.map(({ entry, field }) => [entry.type, field, entry] as const))(
      '%s rejects a missing %s',
      (_type, field, entry) => {
        const error = expectRejectedFor(entry, without(entry.valid, field), field);
        expect(error.issues[0].problems.join(' ')).toMatch(/required/);
      },
    );

    it.each(requiredFields.map(({ entry, field }) => [entry.type, field, entry] as const))(
      '%s rejects a null %s',
      (_type, field, entry) => {
        expectRejectedFor(entry, { ...entry.valid, [field]: null }, field);
      },
    );

    it.each(
      requiredFields
        // A DEPOSIT's payer is required by a conditional rule that counts presence only (below).
        .filter(({ entry, field }) => !(entry.type === 'TRANSACTION' && field === 'payer'))
        .flatMap(({ entry, field }) =>
          BLANKS.map((blank) => [entry.type, field, JSON.stringify(blank), entry, blank] as const),
        ),
    )('%s rejects %s = %s', (_type, field, _shown, entry, blank) => {
      expectRejectedFor(entry, { ...entry.valid, [field]: blank }, field);
    });

    it.each(
      requiredFields
        // The relay `payload` record is the one required field that is not a string: see below.
        .filter(({ entry, field }) => typeof entry.valid[field] === 'string')
        .flatMap(({ entry, field }) =>
          [42, true, ['x'], { value: 'x' }].map(
            (value) => [entry.type, field, JSON.stringify(value), entry, value] as const,
          ),
        ),
    )('%s rejects a non-string %s (%s)', (_type, field, _shown, entry, value) => {
      expectRejectedFor(entry, { ...entry.valid, [field]: value }, field);
    });
  });

  describe('optional fields', () => {
    it.each(optionalFields.map(({ entry, field }) => [entry.type, field, entry] as const))(
      '%s accepts %s absent',
      (_type, field, entry) => {
        const payload = without(entry.valid, field);
        const message = parse(entry, payload);
        expect(message.toDict().payload).toEqual(payload);
        expect(message.toDict().payload).not.toHaveProperty(field);
      },
    );

    it.each(optionalFields.map(({ entry, field }) => [entry.type, field, entry] as const))(
      '%s accepts %s null and leaves it off the wire',
      (_type, field, entry) => {
        const message = parse(entry, { ...entry.valid, [field]: null });
        expect(message.toDict().payload).toEqual(without(entry.valid, field));
        expect(message.serialize()).not.toContain(`"${field}"`);
        expect(message.serialize()).not.toContain('null');
      },
    );

    it.each(
      optionalFields.flatMap(({ entry, field }) =>
        BLANKS.map((blank) => [entry.type, field, JSON.stringify(blank), entry, blank] as const),
      ),
    )(
      '%s accepts %s = %s as given, as the Python client does',
      (_type, field, _shown, entry, blank) => {
        const payload = { ...entry.valid, [field]: blank };
        const message = parse(entry, payload);
        expect((message.payload as Json)[field]).toBe(blank);
        expect(message.toDict().payload).toEqual(payload);
        expect(message.serialize()).toContain(`"${field}": ${JSON.stringify(blank)}`);
      },
    );

    it.each(optionalFields.map(({ entry, field }) => [entry.type, field, entry] as const))(
      '%s rejects a non-string %s',
      (_type, field, entry) => {
        expectRejectedFor(entry, { ...entry.valid, [field]: 7 }, field);
      },
    );

    it('UPDATE_PROFILE accepts an empty payload', () => {
      const entry = payloadCase(InstructionType.UPDATE_PROFILE);
      expect(parse(entry, {}).toDict().payload).toEqual({});
    });
  });

  describe('enum fields', () => {
    it.each(
      enumFields.map(({ entry, field, allowed }) => [entry.type, field, entry, allowed] as const),
    )('%s accepts every %s value', (_type, field, entry, allowed) => {
      for (const value of allowed) {
        const payload = { ...entry.valid, [field]: value };
        // A WITHDRAW transaction needs its payee; the valid sample has both parties.
        expect(parse(entry, payload).toDict().payload).toEqual(payload);
      }
    });

    it.each(
      enumFields.flatMap(({ entry, field, allowed }) =>
        [flipCase(allowed[0]), `${allowed[0]} `, 'SIDEWAYS', 'sideways', ''].map(
          (value) => [entry.type, field, JSON.stringify(value), entry, value, allowed] as const,
        ),
      ),
    )('%s rejects %s = %s', (_type, field, _shown, entry, value, allowed) => {
      const error = expectRejectedFor(entry, { ...entry.valid, [field]: value }, field);
      // The message lists what is allowed, so the sender knows the fix.
      for (const option of allowed) expect(error.message).toContain(option);
    });
  });

  // Peer models §3.18, §3.19: `data` is a serde_json::Value, its key required, `null` accepted.
  describe('any-JSON fields (notification data)', () => {
    it.each(anyJsonFields.map(({ entry, field }) => [entry.type, field, entry] as const))(
      '%s rejects a missing %s',
      (_type, field, entry) => {
        const error = expectRejectedFor(entry, without(entry.valid, field), field);
        expect(error.message).toMatch(/required/);
      },
    );

    it.each(
      anyJsonFields.flatMap(({ entry, field }) =>
        [null, '', '  ', 0, 1.5, false, [], {}, { a: null, b: [null, { c: null }] }, ['x', 2]].map(
          (value) => [entry.type, field, JSON.stringify(value), entry, value] as const,
        ),
      ),
    )('%s accepts %s = %s and writes it back exactly', (_type, field, _shown, entry, value) => {
      const payload = { ...entry.valid, [field]: value };
      const message = parse(entry, payload);
      expect((message.payload as Json)[field]).toEqual(value);
      expect(message.toDict().payload).toEqual(payload);
      expect(message.serialize()).toContain(`"${field}": ${toWireJson(value)}`);
    });
  });

  describe('TRANSACTION: DEPOSIT names its payer, WITHDRAW its payee', () => {
    const entry = payloadCase(InstructionType.TRANSACTION);
    const deposit = { ...without(entry.valid, 'payee'), transaction_type: TransactionType.DEPOSIT };
    const withdraw = {
      ...without(entry.valid, 'payer'),
      transaction_type: TransactionType.WITHDRAW,
    };

    it('accepts a DEPOSIT with a payer and no payee', () => {
      expect(parse(entry, deposit).toDict().payload).toEqual(deposit);
    });

    it('accepts a WITHDRAW with a payee and no payer', () => {
      expect(parse(entry, withdraw).toDict().payload).toEqual(withdraw);
    });

    it.each([
      ['DEPOSIT', 'payer', deposit],
      ['WITHDRAW', 'payee', withdraw],
    ] as const)('a %s without a %s is rejected, saying why', (kind, field, payload) => {
      const error = expectRejectedFor(entry, without(payload, field), field);
      expect(error.message).toContain(kind);
      expectRejectedFor(entry, { ...payload, [field]: null }, field);
    });

    // Peer models §3.4: only absence counts, `payer: ""` passes in both peers.
    it.each([
      ['DEPOSIT', 'payer', deposit],
      ['WITHDRAW', 'payee', withdraw],
      ['DEPOSIT', 'payee (optional)', deposit],
      ['WITHDRAW', 'payer (optional)', withdraw],
    ] as const)('a %s with a blank %s is accepted as given', (_kind, shown, payload) => {
      const field = shown.split(' ')[0];
      for (const blank of BLANKS) {
        const given = { ...payload, [field]: blank };
        expect(parse(entry, given).toDict().payload).toEqual(given);
      }
    });

    it.each([
      ['DEPOSIT', 'payer', deposit],
      ['WITHDRAW', 'payee', withdraw],
    ] as const)('a %s with a non-string %s is rejected', (_kind, field, payload) => {
      expectRejectedFor(entry, { ...payload, [field]: 7 }, field);
    });

    it('a WITHDRAW lacking its payee is rejected even when it names a payer', () => {
      expectRejectedFor(
        entry,
        { ...without(entry.valid, 'payee'), transaction_type: 'WITHDRAW' },
        'payee',
      );
    });
  });

  describe('KYC_EVENT: a completed review carries its result', () => {
    const entry = payloadCase(EventType.KYC_EVENT);
    const base = { title: 'KYC review', identifier: 'profile-3c71b0' };

    it.each(['completed', 'COMPLETED', 'Completed', 'cOmPlEtEd'])(
      'review_status %j without review_result is rejected',
      (status) => {
        const error = expectRejectedFor(entry, { ...base, review_status: status }, 'review_result');
        expect(error.message).toMatch(/completed/i);
        expectRejectedFor(
          entry,
          { ...base, review_status: status, review_result: null },
          'review_result',
        );
        // Peer models §3.14: Python counts "" as missing, but not white space.
        expectRejectedFor(
          entry,
          { ...base, review_status: status, review_result: '' },
          'review_result',
        );
        for (const blank of ['   ', '\t\n']) {
          const payload = { ...base, review_status: status, review_result: blank };
          expect(parse(entry, payload).toDict().payload).toEqual(payload);
        }
      },
    );

    it('review_result "" without a completed review is accepted as given', () => {
      const payload = { ...base, review_status: 'pending', review_result: '' };
      expect(parse(entry, payload).toDict().payload).toEqual(payload);
    });

    it.each(['completed', 'COMPLETED', 'Completed'])(
      'review_status %j with a review_result is accepted',
      (status) => {
        const payload = { ...base, review_status: status, review_result: 'GREEN' };
        expect(parse(entry, payload).toDict().payload).toEqual(payload);
      },
    );

    // Not trimmed, as in Python: " completed" is not "completed".
    it.each([
      'pending',
      'init',
      'completed_partially',
      'not completed',
      ' completed',
      'completed ',
      '',
      ' ',
    ])('review_status %j needs no review_result', (status) => {
      const payload = { ...base, review_status: status };
      expect(parse(entry, payload).toDict().payload).toEqual(payload);
    });

    it('review_result alone, without review_status, is accepted', () => {
      const payload = { ...base, review_result: 'RED' };
      expect(parse(entry, payload).toDict().payload).toEqual(payload);
    });
  });

  describe('relay events: payload is an object of strings', () => {
    const relayTypes = [
      EventType.ADDRESS_ONBOARDED,
      EventType.RELAY_INITIATED,
      EventType.RELAY_COMPLETED,
      EventType.RELAY_ONBOARDED,
    ];
    const invalidRecords: [string, unknown][] = [
      ['a string', 'relay-91d2'],
      ['an array of strings', ['relay-91d2']],
      ['a number value', { amount: 40 }],
      ['a null value', { amount: null }],
      ['a nested object', { amount: { value: '40.00' } }],
      ['a boolean value', { done: true }],
    ];

    it.each(
      relayTypes.flatMap((type) =>
        invalidRecords.map(([label, record]) => [type, label, record] as const),
      ),
    )('%s rejects a payload record with %s', (type, _label, record) => {
      const entry = payloadCase(type);
      expectRejectedFor(entry, { ...entry.valid, payload: record }, 'payload');
    });

    it.each(relayTypes)(
      '%s accepts an empty record and keeps every entry of a full one',
      (type) => {
        const entry = payloadCase(type);
        expect(parse(entry, { ...entry.valid, payload: {} }).toDict().payload).toEqual({
          ...entry.valid,
          payload: {},
        });
        const record: Json = { a: '1', 'key with spaces': 'v', ünïcode: 'välue', empty: '' };
        expect(parse(entry, { ...entry.valid, payload: record }).toDict().payload).toEqual({
          ...entry.valid,
          payload: record,
        });
      },
    );
  });
});
