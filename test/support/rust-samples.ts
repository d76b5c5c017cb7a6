/**
 * Messages as the Rust client (mykobo-rs 1.3.10) writes them: `serde_json::to_string`, so no
 * whitespace, raw UTF-8, struct fields in declaration order, `external_reference` and
 * `BankPaymentEventPayload.message` written as `null` when absent (peer-models.md §1.2, §3).
 * Built from the reference's field lists; values made up.
 */
export const RUST_META =
  '"source":"RELAY_SERVICE","created_at":"2026-03-14T09:26:53Z","token":"t.jwt.sig","idempotency_key":"5d0c7a1e-2b3f-4c8d-9e6a-7f1b2c3d4e5f"';

/** A whole message as the Rust client writes it: `meta_data` with the type key, then the payload text. */
export function rustMessage(typeKey: 'instruction_type' | 'event', type: string, payload: string) {
  return `{"meta_data":{${RUST_META},"${typeKey}":"${type}"},"payload":${payload}}`;
}

export interface RustSample {
  name: string;
  ref: string;
  kind: 'instruction' | 'event';
  type: string;
  /** The payload text exactly as the Rust client writes it. */
  rust: string;
  /** The payload class's name. */
  payloadClass: string;
  /** The validated payload's wire fields (absent and `null` optionals left out). */
  fields: Record<string, unknown>;
  /** The payload text this library writes for `fields` (Python's format, the defining peer's order). */
  written: string;
}

const relaySubject =
  '{"type":"relay","id":"r1","source_chain":"eth","destination_chain":"stellar"}';
const relaySubjectFields = {
  type: 'relay',
  id: 'r1',
  source_chain: 'eth',
  destination_chain: 'stellar',
};
const relaySubjectWritten =
  '{"type": "relay", "id": "r1", "source_chain": "eth", "destination_chain": "stellar"}';

export const RUST_SAMPLES: readonly RustSample[] = [
  {
    name: 'BANK_PAYMENT_REQUEST',
    ref: '§3.5',
    kind: 'instruction',
    type: 'BANK_PAYMENT_REQUEST',
    rust: '{"reference":"BPR-1","value":"250.00","currency":"EUR","profile_id":"p-1","message":"Zoë"}',
    payloadClass: 'BankPaymentRequestPayload',
    fields: {
      reference: 'BPR-1',
      value: '250.00',
      currency: 'EUR',
      profile_id: 'p-1',
      message: 'Zoë',
    },
    written:
      '{"reference": "BPR-1", "value": "250.00", "currency": "EUR", "profile_id": "p-1", "message": "Zo\\u00eb"}',
  },
  {
    name: 'CHAIN_PAYMENT',
    ref: '§3.6',
    kind: 'instruction',
    type: 'CHAIN_PAYMENT',
    rust: '{"chain":"stellar","hash":"ab12","reference":"CP-1","status":"CONFIRMED","transaction_id":"tx-1"}',
    payloadClass: 'ChainPaymentPayload',
    fields: {
      chain: 'stellar',
      hash: 'ab12',
      reference: 'CP-1',
      status: 'CONFIRMED',
      transaction_id: 'tx-1',
    },
    written:
      '{"chain": "stellar", "hash": "ab12", "reference": "CP-1", "status": "CONFIRMED", "transaction_id": "tx-1"}',
  },
  {
    name: 'PAYMENT with direction BOTH (Rust writes direction before reference)',
    ref: '§3.1, §4.3',
    kind: 'instruction',
    type: 'PAYMENT',
    rust: '{"external_reference":"E","payer_name":"José €","currency":"EUR","value":"1.00","source":"B","direction":"BOTH","reference":"R"}',
    payloadClass: 'PaymentPayload',
    fields: {
      external_reference: 'E',
      payer_name: 'José €',
      currency: 'EUR',
      value: '1.00',
      source: 'B',
      reference: 'R',
      direction: 'BOTH',
    },
    // The field both peers define keeps the Python client's order (reference, then direction).
    written:
      '{"external_reference": "E", "payer_name": "Jos\\u00e9 \\u20ac", "currency": "EUR", "value": "1.00", "source": "B", "reference": "R", "direction": "BOTH"}',
  },
  {
    name: 'TRANSACTION of type TRANSFER (no payer or payee rule)',
    ref: '§3.4',
    kind: 'instruction',
    type: 'TRANSACTION',
    rust: '{"external_reference":"E","source":"S","reference":"R","first_name":"A","last_name":"B","transaction_type":"TRANSFER","status":"PENDING","incoming_currency":"EUR","outgoing_currency":"EURC","value":"5","fee":"0"}',
    payloadClass: 'TransactionPayload',
    fields: {
      external_reference: 'E',
      source: 'S',
      reference: 'R',
      first_name: 'A',
      last_name: 'B',
      transaction_type: 'TRANSFER',
      status: 'PENDING',
      incoming_currency: 'EUR',
      outgoing_currency: 'EURC',
      value: '5',
      fee: '0',
    },
    written:
      '{"external_reference": "E", "source": "S", "reference": "R", "first_name": "A", "last_name": "B", "transaction_type": "TRANSFER", "status": "PENDING", "incoming_currency": "EUR", "outgoing_currency": "EURC", "value": "5", "fee": "0"}',
  },
  {
    name: 'STATUS_UPDATE with transaction_id',
    ref: '§3.2',
    kind: 'instruction',
    type: 'STATUS_UPDATE',
    rust: '{"reference":"R","status":"DONE","message":"ok","transaction_id":"tx-9"}',
    payloadClass: 'StatusUpdatePayload',
    fields: { reference: 'R', status: 'DONE', message: 'ok', transaction_id: 'tx-9' },
    written: '{"reference": "R", "status": "DONE", "message": "ok", "transaction_id": "tx-9"}',
  },
  {
    name: 'UPDATE_PROFILE with profile_id first',
    ref: '§3.7',
    kind: 'instruction',
    type: 'UPDATE_PROFILE',
    rust: '{"profile_id":"p-1","address_line_1":"1 Main St","tax_id":"X1"}',
    payloadClass: 'UpdateProfilePayload',
    fields: { profile_id: 'p-1', address_line_1: '1 Main St', tax_id: 'X1' },
    written: '{"profile_id": "p-1", "address_line_1": "1 Main St", "tax_id": "X1"}',
  },
  {
    name: 'NEW_TRANSACTION of kind TRANSFER',
    ref: '§3.9',
    kind: 'event',
    type: 'NEW_TRANSACTION',
    rust: '{"created_at":"2026-03-14T09:20:00Z","kind":"TRANSFER","reference":"R","source":"S"}',
    payloadClass: 'NewTransactionEventPayload',
    fields: { created_at: '2026-03-14T09:20:00Z', kind: 'TRANSFER', reference: 'R', source: 'S' },
    written:
      '{"created_at": "2026-03-14T09:20:00Z", "kind": "TRANSFER", "reference": "R", "source": "S"}',
  },
  {
    name: 'TRANSACTION_STATUS_UPDATE with external_reference',
    ref: '§3.10',
    kind: 'event',
    type: 'TRANSACTION_STATUS_UPDATE',
    rust: '{"external_reference":"E-1","reference":"R","status":"HELD"}',
    payloadClass: 'TransactionStatusEventPayload',
    fields: { external_reference: 'E-1', reference: 'R', status: 'HELD' },
    written: '{"external_reference": "E-1", "reference": "R", "status": "HELD"}',
  },
  {
    name: 'TRANSACTION_STATUS_UPDATE with external_reference null (written as null when absent)',
    ref: '§3.10, §7 RS 5',
    kind: 'event',
    type: 'TRANSACTION_STATUS_UPDATE',
    rust: '{"external_reference":null,"reference":"R","status":"HELD"}',
    payloadClass: 'TransactionStatusEventPayload',
    fields: { reference: 'R', status: 'HELD' },
    // Left out, as every unset field here: byte for byte what the Python client writes.
    written: '{"reference": "R", "status": "HELD"}',
  },
  {
    name: 'PAYMENT event (Python calls it NEW_BANK_PAYMENT)',
    ref: '§3.11',
    kind: 'event',
    type: 'PAYMENT',
    rust: '{"external_reference":"E","reference":"R","source":"BANK"}',
    payloadClass: 'PaymentEventPayload',
    fields: { external_reference: 'E', reference: 'R', source: 'BANK' },
    written: '{"external_reference": "E", "reference": "R", "source": "BANK"}',
  },
  {
    name: 'BANK_PAYMENT with message null (written as null when absent)',
    ref: '§3.12, §7 RS 5',
    kind: 'event',
    type: 'BANK_PAYMENT',
    rust: '{"transaction_id":"tx-1","status":"SENT","reference":"R","message":null}',
    payloadClass: 'BankPaymentEventPayload',
    fields: { transaction_id: 'tx-1', status: 'SENT', reference: 'R' },
    written: '{"transaction_id": "tx-1", "status": "SENT", "reference": "R"}',
  },
  {
    name: 'BANK_PAYMENT with a message',
    ref: '§3.12',
    kind: 'event',
    type: 'BANK_PAYMENT',
    rust: '{"transaction_id":"tx-1","status":"FAILED","reference":"R","message":"insufficient"}',
    payloadClass: 'BankPaymentEventPayload',
    fields: { transaction_id: 'tx-1', status: 'FAILED', reference: 'R', message: 'insufficient' },
    written:
      '{"transaction_id": "tx-1", "status": "FAILED", "reference": "R", "message": "insufficient"}',
  },
  {
    name: 'NEW_USER',
    ref: '§3.13',
    kind: 'event',
    type: 'NEW_USER',
    rust: '{"title":"Welcome","identifier":"user-1"}',
    payloadClass: 'NewUserEventPayload',
    fields: { title: 'Welcome', identifier: 'user-1' },
    written: '{"title": "Welcome", "identifier": "user-1"}',
  },
  {
    name: 'RELAY_INITIATED as a customer notification (the reference example)',
    ref: '§3.18',
    kind: 'event',
    type: 'RELAY_INITIATED',
    rust: `{"subject":${relaySubject},"data":{"zeta":1,"alpha":"two"}}`,
    payloadClass: 'RelayInitiatedEventPayload',
    fields: { subject: relaySubjectFields, data: { zeta: 1, alpha: 'two' } },
    written: `{"subject": ${relaySubjectWritten}, "data": {"zeta": 1, "alpha": "two"}}`,
  },
  {
    name: 'MINT_COMPLETED about a transaction',
    ref: '§3.18',
    kind: 'event',
    type: 'MINT_COMPLETED',
    rust: '{"subject":{"type":"transaction","reference":"MYK-1"},"data":{"amount":"10","note":null}}',
    payloadClass: 'CustomerNotificationPayload',
    fields: {
      subject: { type: 'transaction', reference: 'MYK-1' },
      data: { amount: '10', note: null },
    },
    written:
      '{"subject": {"type": "transaction", "reference": "MYK-1"}, "data": {"amount": "10", "note": null}}',
  },
  {
    name: 'DEPOSIT_FAILED about a profile, blank member, data null',
    ref: '§3.18 (blank allowed; data null accepted)',
    kind: 'event',
    type: 'DEPOSIT_FAILED',
    rust: '{"subject":{"type":"profile","user_id":""},"data":null}',
    payloadClass: 'CustomerNotificationPayload',
    fields: { subject: { type: 'profile', user_id: '' }, data: null },
    written: '{"subject": {"type": "profile", "user_id": ""}, "data": null}',
  },
  {
    name: 'RELAY_FAILED, a platform notification with a subject',
    ref: '§3.19',
    kind: 'event',
    type: 'RELAY_FAILED',
    rust: '{"severity":"critical","data":{"relay_id":"r1","attempts":3},"subject":"relay:r1"}',
    payloadClass: 'PlatformNotificationPayload',
    fields: { severity: 'critical', data: { relay_id: 'r1', attempts: 3 }, subject: 'relay:r1' },
    written:
      '{"severity": "critical", "data": {"relay_id": "r1", "attempts": 3}, "subject": "relay:r1"}',
  },
  {
    name: 'TRANSACTION_FUNDED_INFO without a subject (omitted when absent)',
    ref: '§3.19',
    kind: 'event',
    type: 'TRANSACTION_FUNDED_INFO',
    rust: '{"severity":"info","data":["a",{"b":[]}]}',
    payloadClass: 'PlatformNotificationPayload',
    fields: { severity: 'info', data: ['a', { b: [] }] },
    written: '{"severity": "info", "data": ["a", {"b": []}]}',
  },
];
