import {
  AddressOnboardedEventPayload,
  BankPaymentEventPayload,
  BankPaymentRequestPayload,
  BurnPayload,
  ChainPaymentPayload,
  CorrectionPayload,
  CustomerNotificationPayload,
  Direction,
  EventType,
  InstructionType,
  KycEventPayload,
  MintPayload,
  NewTransactionEventPayload,
  NewUserEventPayload,
  PasswordResetEventPayload,
  PaymentEventPayload,
  PaymentPayload,
  PlatformNotificationPayload,
  ProfileEventPayload,
  RelayCompletedEventPayload,
  RelayInitiatedEventPayload,
  RelayOnboardedEventPayload,
  Severity,
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
  /** Fields whose key must be present with any JSON value, `null` included (`@IsJsonValue`). */
  anyJson?: string[];
  /** The other peer's fields of a two-shape payload (the valid sample is the Python shape). */
  otherShape?: string[];
}

/** Rust's own sample of a customer notification's `data`: key order kept, numbers too. */
const NOTIFICATION_DATA = { zeta: 1, alpha: 'two', nested: { list: ['a', 2, true] } };
const RELAY_SUBJECT = {
  type: 'relay',
  id: 'relay-91d2',
  source_chain: 'ethereum',
  destination_chain: 'stellar',
};

/** The Rust client's customer notifications that only it sends. */
export const CUSTOMER_NOTIFICATION_EVENTS = [
  EventType.MINT_COMPLETED,
  EventType.BURN_COMPLETED,
  EventType.MINT_HELD,
  EventType.BURN_HELD,
  EventType.DEPOSIT_INITIATED,
  EventType.DEPOSIT_COMPLETED,
  EventType.DEPOSIT_FAILED,
  EventType.WITHDRAW_INITIATED,
  EventType.WITHDRAW_COMPLETED,
  EventType.WITHDRAW_FAILED,
  EventType.CUSTOMER_FUNDS_RECEIVED,
] as const;

/** The Rust client's platform notifications (peer-models.md §2.3), 24 of them. */
export const PLATFORM_NOTIFICATION_EVENTS = [
  EventType.RELAY_STUCK_DEPOSITING,
  EventType.RELAY_STUCK_BRIDGING,
  EventType.RELAY_STUCK_FORWARDING,
  EventType.RELAY_FAILED,
  EventType.CIRCLE_API_5XX_BURST,
  EventType.WEBHOOK_REPROCESSOR_BACKLOG,
  EventType.MINT_HELD_ALERT,
  EventType.BURN_HELD_ALERT,
  EventType.CUSTOMER_NOTIFY_FAILED,
  EventType.MINT_INFO,
  EventType.BURN_INFO,
  EventType.TRANSACTION_FAILED_ALERT,
  EventType.TRANSACTION_HELD_ALERT,
  EventType.BANK_PAYMENT_BALANCE_INSUFFICIENT_ALERT,
  EventType.BANK_PAYMENT_EXECUTION_FAILED_ALERT,
  EventType.BCB_WEBHOOK_PROCESSING_FAILED_ALERT,
  EventType.BENEFICIARY_CREATION_FAILED_ALERT,
  EventType.TRANSACTION_FUNDED_INFO,
  EventType.BANK_PAYMENT_RECEIVED_INFO,
  EventType.BANK_PAYMENT_SENT_INFO,
  EventType.ONCHAIN_PAYMENT_RECEIVED_INFO,
  EventType.ONCHAIN_PAYMENT_SENT_INFO,
  EventType.TRANSACTION_APPROVED_INFO,
  EventType.TRANSACTION_FULFILLED_INFO,
] as const;

/** NEW_BANK_PAYMENT (Python) and the PAYMENT event (Rust): one shape, two names. */
const paymentEventCase = (
  type: EventType,
  externalReference: string,
  reference: string,
): PayloadCase => ({
  kind: 'event',
  type,
  payloadClass: PaymentEventPayload,
  valid: { external_reference: externalReference, reference, source: 'BANK' },
  required: ['external_reference', 'source'],
  optional: ['reference'],
  enums: {},
});

/** NEW_PROFILE (both peers) and NEW_USER (Rust): the same `{title, identifier}` shape. */
const profileIdentityCase = (
  type: EventType,
  payloadClass: PayloadClass,
  title: string,
  identifier: string,
): PayloadCase => ({
  kind: 'event',
  type,
  payloadClass,
  valid: { title, identifier },
  required: ['title', 'identifier'],
  optional: [],
  enums: {},
});

const customerNotificationCase = (type: EventType): PayloadCase => ({
  kind: 'event',
  type,
  payloadClass: CustomerNotificationPayload,
  valid: { subject: RELAY_SUBJECT, data: NOTIFICATION_DATA },
  required: ['subject'],
  optional: [],
  enums: {},
  anyJson: ['data'],
});

const platformNotificationCase = (type: EventType): PayloadCase => ({
  kind: 'event',
  type,
  payloadClass: PlatformNotificationPayload,
  valid: { severity: Severity.CRITICAL, data: NOTIFICATION_DATA, subject: 'relay:relay-91d2' },
  required: ['severity'],
  optional: ['subject'],
  enums: { severity: Object.values(Severity) },
  anyJson: ['data'],
});

const relayCase = (type: EventType, payloadClass: PayloadClass): PayloadCase => ({
  kind: 'event',
  type,
  payloadClass,
  valid: { email: 'ana.lopez@example.com', payload: { relay_id: 'relay-91d2', amount: '40.00' } },
  required: ['email', 'payload'],
  optional: [],
  enums: {},
  // ADDRESS_ONBOARDED has one shape; the three relay events also take the Rust one.
  otherShape: type === EventType.ADDRESS_ONBOARDED ? undefined : ['subject', 'data'],
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
    valid: {
      reference: 'REF-7781',
      status: 'COMPLETED',
      message: 'Paid',
      transaction_id: 'tx-5521',
    },
    required: ['reference', 'status'],
    optional: ['message', 'transaction_id'],
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
    type: InstructionType.BANK_PAYMENT_REQUEST,
    payloadClass: BankPaymentRequestPayload,
    valid: {
      reference: 'BPR-0091',
      value: '250.00',
      currency: 'EUR',
      profile_id: 'profile-3c71b0',
      message: 'Payout to Zoë',
    },
    required: ['reference', 'value', 'currency', 'profile_id'],
    optional: ['message'],
    enums: {},
  },
  {
    kind: 'instruction',
    type: InstructionType.CHAIN_PAYMENT,
    payloadClass: ChainPaymentPayload,
    valid: {
      chain: 'stellar',
      hash: '3389e9f0f1a65f19736cacf544c2e825313e8447f569233bb8db39aa607c8889',
      reference: 'CP-0042',
      status: 'CONFIRMED',
      transaction_id: 'tx-5521',
    },
    required: ['chain', 'hash', 'reference', 'status'],
    optional: ['transaction_id'],
    enums: {},
  },
  {
    kind: 'instruction',
    type: InstructionType.UPDATE_PROFILE,
    payloadClass: UpdateProfilePayload,
    valid: {
      profile_id: 'profile-3c71b0',
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
      'profile_id',
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
    valid: { external_reference: 'T-2026-004418', reference: 'MYK-4418', status: 'FUNDS_RECEIVED' },
    required: ['reference', 'status'],
    optional: ['external_reference'],
    enums: {},
  },
  paymentEventCase(EventType.NEW_BANK_PAYMENT, 'P-2026-000124', 'REF-7782'),
  paymentEventCase(EventType.PAYMENT, 'P-2026-000125', 'REF-7783'),
  {
    kind: 'event',
    type: EventType.BANK_PAYMENT,
    payloadClass: BankPaymentEventPayload,
    valid: {
      transaction_id: 'tx-5521',
      status: 'SENT',
      reference: 'BPR-0091',
      message: 'Virement émis',
    },
    required: ['transaction_id', 'status', 'reference'],
    optional: ['message'],
    enums: {},
  },
  profileIdentityCase(
    EventType.NEW_PROFILE,
    ProfileEventPayload,
    'Profile created',
    'profile-3c71b0',
  ),
  profileIdentityCase(EventType.NEW_USER, NewUserEventPayload, 'User signed up', 'user-77a1'),
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
  ...CUSTOMER_NOTIFICATION_EVENTS.map(customerNotificationCase),
  ...PLATFORM_NOTIFICATION_EVENTS.map(platformNotificationCase),
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
