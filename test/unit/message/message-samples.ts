import {
  AddressOnboardedEventPayload,
  BurnPayload,
  CorrectionPayload,
  Direction,
  EventType,
  InstructionType,
  KycEventPayload,
  MintPayload,
  NewTransactionEventPayload,
  PasswordResetEventPayload,
  PaymentEventPayload,
  PaymentPayload,
  ProfileEventPayload,
  RelayCompletedEventPayload,
  RelayInitiatedEventPayload,
  RelayOnboardedEventPayload,
  StatusUpdatePayload,
  TransactionPayload,
  TransactionStatusEventPayload,
  TransactionType,
  UpdateProfilePayload,
  VerificationRequestedEventPayload,
  type MessageKind,
  type PayloadClass,
} from './message-model';

/** A plain JSON object, as `fromJSON` receives it. */
export type Json = Record<string, unknown>;

/** Distinctive values that must never show up in an error message or its issues. */
export const SECRET_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2Vu.U0VDUkVULVNJRw';
export const SECRET_PASSWORD = 'Sup3r-Secret-Pa55word';

export function validMetaData(kind: MessageKind, type: string): Json {
  return {
    source: 'BANKING_SERVICE',
    created_at: '2026-03-14T09:26:53Z',
    token: SECRET_TOKEN,
    idempotency_key: '0b7c2a4e-5d1f-4c8a-9e3b-6f2d8a1c4b57',
    [kind === 'instruction' ? 'instruction_type' : 'event']: type,
  };
}

export function wireMessage(kind: MessageKind, type: string, payload: unknown): Json {
  return { meta_data: validMetaData(kind, type), payload };
}

/** The rules of one payload DTO, as the spec states them. */
export interface PayloadCase {
  kind: MessageKind;
  type: string;
  payloadClass: PayloadClass;
  /** A payload that passes, with every field set (optional ones too). */
  valid: Json;
  required: string[];
  optional: string[];
  /** Fields whose value must be one of an enum's wire strings. */
  enums: Record<string, readonly string[]>;
}

const relayCase = (type: EventType, payloadClass: PayloadClass): PayloadCase => ({
  kind: 'event',
  type,
  payloadClass,
  valid: { email: 'ana.lopez@example.com', payload: { relay_id: 'relay-91d2', amount: '40.00' } },
  required: ['email', 'payload'],
  optional: [],
  enums: {},
});

const tokenSupplyCase = (type: InstructionType, payloadClass: PayloadClass): PayloadCase => ({
  kind: 'instruction',
  type,
  payloadClass,
  valid: {
    value: '500',
    currency: 'EURC',
    reference: 'MINT-0042',
    chain: 'stellar',
    message: 'Top-up',
  },
  required: ['value', 'currency', 'reference', 'chain'],
  optional: ['message'],
  enums: {},
});

export const PAYLOAD_CASES: readonly PayloadCase[] = [
  {
    kind: 'instruction',
    type: InstructionType.PAYMENT,
    payloadClass: PaymentPayload,
    valid: {
      external_reference: 'P-2026-000123',
      payer_name: 'José Müller',
      currency: 'EUR',
      value: '1250.00',
      source: 'BANK',
      reference: 'REF-7781',
      direction: Direction.INBOUND,
      bank_account_number: 'GB29NWBK60161331926819',
    },
    required: ['external_reference', 'currency', 'value', 'source', 'reference', 'direction'],
    optional: ['payer_name', 'bank_account_number'],
    enums: { direction: Object.values(Direction) },
  },
  {
    kind: 'instruction',
    type: InstructionType.STATUS_UPDATE,
    payloadClass: StatusUpdatePayload,
    valid: { reference: 'REF-7781', status: 'COMPLETED', message: 'Paid' },
    required: ['reference', 'status'],
    optional: ['message'],
    enums: {},
  },
  {
    kind: 'instruction',
    type: InstructionType.CORRECTION,
    payloadClass: CorrectionPayload,
    valid: {
      reference: 'REF-7781',
      value: '-12.50',
      message: 'Fee refunded',
      currency: 'EUR',
      source: 'LEDGER',
    },
    required: ['reference', 'value', 'message', 'currency', 'source'],
    optional: [],
    enums: {},
  },
  {
    kind: 'instruction',
    type: InstructionType.TRANSACTION,
    payloadClass: TransactionPayload,
    // A DEPOSIT with both parties: payer is required, payee optional.
    valid: {
      external_reference: 'T-2026-004417',
      source: 'ANCHOR_MYKOBO',
      reference: 'MYK-4417',
      first_name: 'Zoë',
      last_name: "O'Brien",
      transaction_type: TransactionType.DEPOSIT,
      status: 'PENDING_PAYER',
      incoming_currency: 'EUR',
      outgoing_currency: 'EURC',
      value: '100.00',
      fee: '0.50',
      payer: 'payer-5f2c9e',
      payee: 'payee-81ab04',
    },
    required: [
      'external_reference',
      'source',
      'reference',
      'first_name',
      'last_name',
      'transaction_type',
      'status',
      'incoming_currency',
      'outgoing_currency',
      'value',
      'fee',
      'payer',
    ],
    optional: ['payee'],
    enums: { transaction_type: Object.values(TransactionType) },
  },
  {
    kind: 'instruction',
    type: InstructionType.UPDATE_PROFILE,
    payloadClass: UpdateProfilePayload,
    valid: {
      address_line_1: "12 Rue de l'Église",
      address_line_2: 'Bâtiment B',
      bank_account_number: 'FR7630006000011234567890189',
      bank_number: '30006',
      tax_id: 'FR40303265045',
      tax_id_name: 'TVA',
      id_country_code: 'FR',
      suspended_at: '2026-03-01T00:00:00Z',
      deleted_at: '2026-03-02T00:00:00Z',
    },
    required: [],
    optional: [
      'address_line_1',
      'address_line_2',
      'bank_account_number',
      'bank_number',
      'tax_id',
      'tax_id_name',
      'id_country_code',
      'suspended_at',
      'deleted_at',
    ],
    enums: {},
  },
  tokenSupplyCase(InstructionType.MINT, MintPayload),
  tokenSupplyCase(InstructionType.BURN, BurnPayload),
  {
    kind: 'event',
    type: EventType.NEW_TRANSACTION,
    payloadClass: NewTransactionEventPayload,
    valid: {
      created_at: '2026-03-14T09:20:00Z',
      kind: TransactionType.WITHDRAW,
      reference: 'MYK-4418',
      source: 'ANCHOR_MYKOBO',
    },
    required: ['created_at', 'kind', 'reference', 'source'],
    optional: [],
    enums: { kind: Object.values(TransactionType) },
  },
  {
    kind: 'event',
    type: EventType.TRANSACTION_STATUS_UPDATE,
    payloadClass: TransactionStatusEventPayload,
    valid: { reference: 'MYK-4418', status: 'FUNDS_RECEIVED' },
    required: ['reference', 'status'],
    optional: [],
    enums: {},
  },
  {
    kind: 'event',
    type: EventType.NEW_BANK_PAYMENT,
    payloadClass: PaymentEventPayload,
    valid: { external_reference: 'P-2026-000124', reference: 'REF-7782', source: 'BANK' },
    required: ['external_reference', 'source'],
    optional: ['reference'],
    enums: {},
  },
  {
    kind: 'event',
    type: EventType.NEW_PROFILE,
    payloadClass: ProfileEventPayload,
    valid: { title: 'Profile created', identifier: 'profile-3c71b0' },
    required: ['title', 'identifier'],
    optional: [],
    enums: {},
  },
  {
    kind: 'event',
    type: EventType.KYC_EVENT,
    payloadClass: KycEventPayload,
    // review_status is not "completed", so review_result is optional here.
    valid: {
      title: 'KYC review',
      identifier: 'profile-3c71b0',
      review_status: 'pending',
      review_result: 'NONE',
    },
    required: ['title', 'identifier'],
    optional: ['review_status', 'review_result'],
    enums: {},
  },
  {
    kind: 'event',
    type: EventType.PASSWORD_RESET_REQUESTED,
    payloadClass: PasswordResetEventPayload,
    valid: {
      to: 'ana.lopez@example.com',
      subject: 'Reset your password',
      password: SECRET_PASSWORD,
    },
    required: ['to', 'subject', 'password'],
    optional: [],
    enums: {},
  },
  {
    kind: 'event',
    type: EventType.VERIFICATION_REQUESTED,
    payloadClass: VerificationRequestedEventPayload,
    valid: { to: 'ana.lopez@example.com', subject: 'Verify your address' },
    required: ['to', 'subject'],
    optional: [],
    enums: {},
  },
  relayCase(EventType.ADDRESS_ONBOARDED, AddressOnboardedEventPayload),
  relayCase(EventType.RELAY_INITIATED, RelayInitiatedEventPayload),
  relayCase(EventType.RELAY_COMPLETED, RelayCompletedEventPayload),
  relayCase(EventType.RELAY_ONBOARDED, RelayOnboardedEventPayload),
];

export function payloadCase(type: string): PayloadCase {
  const found = PAYLOAD_CASES.find((entry) => entry.type === type);
  if (!found) throw new Error(`no payload case for ${type}`);
  return found;
}

/** A copy of `source` without `field`. */
export function without(source: Json, field: string): Json {
  const copy = { ...source };
  delete copy[field];
  return copy;
}

/** Runs `fn` and returns what it threw; fails the test when it does not throw. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, but it returned');
}
