import { describe, expect, it } from 'vitest';
import { encodeMessageBody } from '../../../lib/message/message-body';
import {
  EventType,
  InstructionType,
  MessageBusMessage,
  MessageValidationError,
  TransactionType,
  UnknownMessageTypeError,
} from './message-model';
import {
  PAYLOAD_CASES,
  payloadCase,
  thrown,
  validMetaData,
  without,
  type Json,
} from './message-samples';

/**
 * A tolerant reader and a strict writer: every row is an input the Python client's
 * `MessageBusMessage.from_json` accepts or rejects (peer-models.md, the section in `ref`), and
 * the outcome here must be the same, with the same fields set.
 */
type Outcome =
  | {
      accepted: {
        kind: 'instruction' | 'event';
        type: string;
        /** The payload's wire fields afterwards, exactly. */
        payload: Json;
        /** meta_data fields that must hold these values on the message read. */
        meta?: Json;
      };
    }
  | { rejected: string[]; unknownType?: boolean };

interface ReadCase {
  name: string;
  ref: string;
  message: Json;
  outcome: Outcome;
}

const payment = payloadCase(InstructionType.PAYMENT);
const transaction = payloadCase(InstructionType.TRANSACTION);
const kycBase = { title: 'KYC review', identifier: 'profile-3c71b0' };
const deposit = {
  ...without(transaction.valid, 'payee'),
  transaction_type: TransactionType.DEPOSIT,
};
const withdraw = {
  ...without(transaction.valid, 'payer'),
  transaction_type: TransactionType.WITHDRAW,
};

const instruction = (type: string, payload: unknown, meta: Json = {}): Json => ({
  meta_data: { ...validMetaData('instruction', type), ...meta },
  payload,
});
const event = (type: string, payload: unknown, meta: Json = {}): Json => ({
  meta_data: { ...validMetaData('event', type), ...meta },
  payload,
});
const accepted = (
  kind: 'instruction' | 'event',
  type: string,
  payload: Json,
  meta?: Json,
): Outcome => ({ accepted: { kind, type, payload, meta } });
const row = (name: string, ref: string, message: Json, outcome: Outcome): ReadCase => ({
  name,
  ref,
  message,
  outcome,
});
const rejected = (...fields: string[]): Outcome => ({ rejected: fields });
const unknownType = (field: string): Outcome => ({ rejected: [field], unknownType: true });
const allBlank = (fields: readonly string[], blank: string): Json =>
  Object.fromEntries(fields.map((field) => [field, blank]));
const emptyProfile = allBlank(payloadCase('UPDATE_PROFILE').optional, '');
const paymentWith = (meta: Json): Json => instruction('PAYMENT', payment.valid, meta);
const kyc = (fields: Json): Json => event('KYC_EVENT', { ...kycBase, ...fields });
const completedKyc = { ...kycBase, review_status: 'completed', review_result: ' ' };
const newBankPayment = payloadCase('NEW_BANK_PAYMENT').valid;

const BLANK_OPTIONALS: ReadCase[] = [
  ...(
    [
      ['PAYMENT', 'payer_name', ''],
      ['PAYMENT', 'payer_name', '   '],
      ['PAYMENT', 'bank_account_number', '\t'],
      ['STATUS_UPDATE', 'message', ''],
      ['MINT', 'message', ' '],
      ['BURN', 'message', ''],
      ['UPDATE_PROFILE', 'address_line_2', '  '],
      ['NEW_BANK_PAYMENT', 'reference', ''],
      ['KYC_EVENT', 'review_status', ''],
      ['KYC_EVENT', 'review_result', ''],
    ] as const
  ).map(([type, field, blank]): ReadCase => {
    const entry = payloadCase(type);
    const payload = { ...entry.valid, [field]: blank };
    const message =
      entry.kind === 'instruction' ? instruction(type, payload) : event(type, payload);
    const name = `${type} with ${field} = ${JSON.stringify(blank)}`;
    return row(name, '§3 (Blank PY "–")', message, accepted(entry.kind, type, payload));
  }),
  row(
    'UPDATE_PROFILE with every field ""',
    '§3.7',
    instruction('UPDATE_PROFILE', emptyProfile),
    accepted('instruction', 'UPDATE_PROFILE', emptyProfile),
  ),
  row(
    'meta_data.ip_address = ""',
    '§1.1, §1.3',
    paymentWith({ ip_address: '' }),
    accepted('instruction', 'PAYMENT', payment.valid, { ip_address: '' }),
  ),
];

const REQUIRED_BLANKS: ReadCase[] = [
  row(
    'PAYMENT with currency = ""',
    '§3.1',
    instruction('PAYMENT', { ...payment.valid, currency: '' }),
    rejected('payload.currency'),
  ),
  row('meta_data.source = " "', '§1.1', paymentWith({ source: ' ' }), rejected('meta_data.source')),
  row(
    'meta_data.token = U+001C (white space to Python, not to trim())',
    '§1.1',
    paymentWith({ token: '\u001c' }),
    rejected('meta_data.token'),
  ),
  row(
    'meta_data.idempotency_key = U+FEFF (white space to trim(), not to Python)',
    '§1.1',
    paymentWith({ idempotency_key: '\ufeff' }),
    accepted('instruction', 'PAYMENT', payment.valid, { idempotency_key: '\ufeff' }),
  ),
  row(
    'NEW_PROFILE with title = U+0085',
    '§1.1, §3.13',
    event('NEW_PROFILE', { title: '\u0085', identifier: 'profile-3c71b0' }),
    rejected('payload.title'),
  ),
];

const CONDITIONAL: ReadCase[] = [
  ...(['', '  '] as const).flatMap((blank): ReadCase[] =>
    (
      [
        ['DEPOSIT', 'payer', deposit],
        ['WITHDRAW', 'payee', withdraw],
      ] as const
    ).map(([kind, field, base]) => {
      const payload = { ...base, [field]: blank };
      const name = `${kind} with ${field} = ${JSON.stringify(blank)}`;
      const outcome = accepted('instruction', 'TRANSACTION', payload);
      return row(name, '§3.4 (only absence counts)', instruction('TRANSACTION', payload), outcome);
    }),
  ),
  ...(
    [
      ['DEPOSIT without payer', without(deposit, 'payer'), 'payload.payer'],
      ['DEPOSIT with payer null', { ...deposit, payer: null }, 'payload.payer'],
      ['WITHDRAW without payee', without(withdraw, 'payee'), 'payload.payee'],
    ] as const
  ).map(([name, payload, field]) =>
    row(name, '§3.4', instruction('TRANSACTION', payload), rejected(field)),
  ),
  row(
    'KYC completed with review_result = ""',
    '§3.14 (PY counts "" as missing)',
    kyc({ review_status: 'completed', review_result: '' }),
    rejected('payload.review_result'),
  ),
  row(
    'KYC COMPLETED without review_result',
    '§3.14',
    kyc({ review_status: 'COMPLETED' }),
    rejected('payload.review_result'),
  ),
  row(
    'KYC completed with review_result = " "',
    '§3.14 (" " passes)',
    kyc(completedKyc),
    accepted('event', 'KYC_EVENT', completedKyc),
  ),
  row(
    'KYC " completed" (not trimmed) without review_result',
    '§3.14',
    kyc({ review_status: ' completed' }),
    accepted('event', 'KYC_EVENT', { ...kycBase, review_status: ' completed' }),
  ),
];

const BOTH_TYPES: ReadCase[] = [
  row(
    'instruction_type PAYMENT and event NEW_BANK_PAYMENT',
    '§1.3, §7 PY 6',
    paymentWith({ event: 'NEW_BANK_PAYMENT' }),
    accepted('instruction', 'PAYMENT', payment.valid, {
      instruction_type: 'PAYMENT',
      event: 'NEW_BANK_PAYMENT',
    }),
  ),
  row(
    'instruction_type UPDATE_PROFILE and event NEW_USER (no payload class in Python)',
    '§1.3, §7 PY 1',
    instruction('UPDATE_PROFILE', {}, { event: 'NEW_USER' }),
    accepted('instruction', 'UPDATE_PROFILE', {}, { event: 'NEW_USER' }),
  ),
  row(
    'both, with a payload that fits only the event',
    '§1.3',
    instruction('STATUS_UPDATE', newBankPayment, { event: 'NEW_BANK_PAYMENT' }),
    rejected('payload.status'),
  ),
  row(
    'both, the losing event unknown',
    '§1.3',
    paymentWith({ event: 'FOO' }),
    rejected('meta_data.event'),
  ),
  row(
    'both, the losing event ""',
    '§1.1 ("" is an unknown value)',
    paymentWith({ event: '' }),
    rejected('meta_data.event'),
  ),
  row(
    'both, the winning instruction unknown',
    '§1.3',
    instruction('FOO', payment.valid, { event: 'NEW_BANK_PAYMENT' }),
    unknownType('meta_data.instruction_type'),
  ),
  row(
    'instruction_type null beside an event',
    '§1.3 (null is absent)',
    event('NEW_BANK_PAYMENT', newBankPayment, { instruction_type: null }),
    accepted('event', 'NEW_BANK_PAYMENT', newBankPayment),
  ),
];

const MISSING_PAYLOAD: ReadCase[] = [
  row(
    'UPDATE_PROFILE with no payload key',
    '§1.3, §3.7, §7 PY 5',
    { meta_data: validMetaData('instruction', 'UPDATE_PROFILE') },
    accepted('instruction', 'UPDATE_PROFILE', {}),
  ),
  row(
    'PAYMENT with no payload key',
    '§1.3',
    { meta_data: validMetaData('instruction', 'PAYMENT') },
    rejected(...payment.required.map((field) => `payload.${field}`)),
  ),
  row(
    'NEW_PROFILE with no payload key',
    '§1.3',
    { meta_data: validMetaData('event', 'NEW_PROFILE') },
    rejected('payload.title', 'payload.identifier'),
  ),
  row(
    'UPDATE_PROFILE with payload null',
    '§1.3 (payload: null is R)',
    instruction('UPDATE_PROFILE', null),
    rejected('payload'),
  ),
  row(
    'an unknown type with no payload key',
    '§1.3',
    { meta_data: validMetaData('instruction', 'FOO') },
    unknownType('meta_data.instruction_type'),
  ),
];

function expectOutcome({ message, outcome }: ReadCase): void {
  if ('accepted' in outcome) {
    const read = MessageBusMessage.fromJSON(message);
    expect(read.kind).toBe(outcome.accepted.kind);
    expect(read.type).toBe(outcome.accepted.type);
    expect(read.toDict().payload).toEqual(outcome.accepted.payload);
    for (const [field, value] of Object.entries(outcome.accepted.meta ?? {})) {
      expect((read.meta_data as unknown as Json)[field]).toBe(value);
    }
    return;
  }
  const error = thrown(() => MessageBusMessage.fromJSON(message));
  expect(error).toBeInstanceOf(MessageValidationError);
  expect(error instanceof UnknownMessageTypeError).toBe(outcome.unknownType === true);
  expect([...(error as MessageValidationError).fields].sort()).toEqual(
    [...outcome.rejected].sort(),
  );
}

describe('tolerant reader: what the Python client reads, with the same outcome', () => {
  describe.each([
    ['blank optional strings are accepted as given', BLANK_OPTIONALS],
    ['blank required strings are refused, blank as Python strips', REQUIRED_BLANKS],
    ['conditional rules treat a value as Python does', CONDITIONAL],
    ['meta_data with both types: the instruction wins', BOTH_TYPES],
    ['no payload key reads as an empty payload', MISSING_PAYLOAD],
  ] as const)('%s', (_title, cases) => {
    it.each(cases.map((entry) => [entry.name, entry.ref, entry] as const))(
      '%s (peer-models %s)',
      (_name, _ref, entry) => {
        expectOutcome(entry);
      },
    );
  });
});

/** The type keys a written body carries. */
function typeKeysOf(body: string): string[] {
  const metaData = (JSON.parse(body) as { meta_data: Json }).meta_data;
  return ['instruction_type', 'event'].filter((key) => Object.hasOwn(metaData, key));
}

describe('strict writer: what this library writes, both peers read', () => {
  it.each(PAYLOAD_CASES.map((entry) => [entry.type, entry] as const))(
    'create() for %s writes exactly one type key, an object payload and no null',
    (type, entry) => {
      const typeOption = entry.kind === 'instruction' ? { instructionType: type } : { event: type };
      const message = MessageBusMessage.create({
        source: 'BANKING_SERVICE',
        serviceToken: 'service.jwt.token',
        ...typeOption,
        payload: { ...entry.valid },
      });
      const body = message.serialize();
      expect(typeKeysOf(body)).toEqual([
        entry.kind === 'instruction' ? 'instruction_type' : 'event',
      ]);
      expect(typeof (JSON.parse(body) as { payload: unknown }).payload).toBe('object');
      expect(body).not.toContain('null');
      expect(MessageBusMessage.fromJSON(body).toDict()).toEqual(message.toDict());
    },
  );

  it.each(
    BOTH_TYPES.filter((entry) => 'accepted' in entry.outcome).map((e) => [e.name, e] as const),
  )('a message read with %s is written with its instruction_type alone', (_name, entry) => {
    const read = MessageBusMessage.fromJSON(entry.message);
    for (const body of [read.serialize(), JSON.stringify(read), JSON.stringify(read.toDict())]) {
      expect(typeKeysOf(body)).toEqual([
        read.kind === 'instruction' ? 'instruction_type' : 'event',
      ]);
    }
    // A plain envelope with both, handed to a client, goes out the same way.
    expect(typeKeysOf(encodeMessageBody(entry.message).body)).toEqual(typeKeysOf(read.serialize()));
  });

  it('create() refuses both types and neither, as Python create does', () => {
    const base = { source: 'BANKING_SERVICE', serviceToken: 'service.jwt.token', payload: {} };
    for (const types of [{ instructionType: 'UPDATE_PROFILE', event: 'NEW_USER' }, {}]) {
      const error = thrown(() => MessageBusMessage.create({ ...base, ...types }));
      expect(error).toBeInstanceOf(MessageValidationError);
      expect((error as MessageValidationError).fields).toEqual(['meta_data.instruction_type']);
    }
  });

  it.each([undefined, null])(
    'create() refuses a payload of %j, though a reader takes a missing one as {}',
    (payload) => {
      const error = thrown(() =>
        MessageBusMessage.create({
          source: 'BANKING_SERVICE',
          serviceToken: 'service.jwt.token',
          instructionType: InstructionType.UPDATE_PROFILE,
          payload: payload as unknown as object,
        }),
      );
      expect(error).toBeInstanceOf(MessageValidationError);
      expect((error as MessageValidationError).fields).toEqual(['payload']);
    },
  );

  it('create() builds what Python create builds: blank optionals, a blank ip_address', () => {
    const payload = { ...payment.valid, payer_name: '', bank_account_number: '  ' };
    const message = MessageBusMessage.create({
      source: 'BANKING_SERVICE',
      serviceToken: 'service.jwt.token',
      instructionType: InstructionType.PAYMENT,
      payload,
      ipAddress: '',
    });
    expect(message.toDict().payload).toEqual(payload);
    expect(message.toDict().meta_data.ip_address).toBe('');
  });

  it('create() still refuses what Python create refuses: blank required fields, broken rules', () => {
    const base = { source: 'BANKING_SERVICE', serviceToken: 'service.jwt.token' };
    const refusals: [object, string[]][] = [
      [
        { ...base, source: ' ', instructionType: 'PAYMENT', payload: payment.valid },
        ['meta_data.source'],
      ],
      [
        { ...base, instructionType: 'PAYMENT', payload: { ...payment.valid, value: '' } },
        ['payload.value'],
      ],
      [
        { ...base, instructionType: 'TRANSACTION', payload: without(deposit, 'payer') },
        ['payload.payer'],
      ],
      [
        {
          ...base,
          event: EventType.KYC_EVENT,
          payload: { ...kycBase, review_status: 'completed', review_result: '' },
        },
        ['payload.review_result'],
      ],
    ];
    for (const [options, fields] of refusals) {
      const error = thrown(() =>
        MessageBusMessage.create(options as Parameters<typeof MessageBusMessage.create>[0]),
      );
      expect(error).toBeInstanceOf(MessageValidationError);
      expect((error as MessageValidationError).fields).toEqual(fields);
    }
  });
});
