import { Controller, Injectable } from '@nestjs/common';
import {
  EventType,
  InstructionType,
  MessageBusContext,
  OnEvent,
  OnInstruction,
  type TwoShapeRelayEventPayload,
} from 'nestjs-message-bus';
import { RUST_META, RUST_SAMPLES, type RustSample } from '../../support/rust-samples';

/**
 * What the peer-dialect suites share: handlers on a `@Controller` (instructions) and on a
 * provider (events) that record what each delivery became, the Python-written cases of the
 * tolerant reader, and what each Rust or Python message must be handled as.
 */

/** One handler call: which handler took it and the validated payload it got. */
export interface HandledMessage {
  readonly handler: 'controller' | 'provider';
  readonly kind: 'instruction' | 'event';
  readonly type: string;
  readonly idempotencyKey: string;
  readonly payloadClass: string;
  /** The validated payload's wire fields. */
  readonly fields: unknown;
  /** Only for the two-shape relay events: which peer's shape arrived. */
  readonly dialect?: string;
}

/** Every handler call of the current suite, in order. */
export const HANDLED: HandledMessage[] = [];

function record(
  handler: HandledMessage['handler'],
  payload: object,
  context: MessageBusContext,
  dialect?: string,
): void {
  const message = context.getMessage();
  HANDLED.push({
    handler,
    kind: message.kind,
    type: message.type,
    idempotencyKey: message.meta_data.idempotency_key,
    payloadClass: payload.constructor.name,
    fields: message.toDict().payload,
    ...(dialect === undefined ? {} : { dialect }),
  });
}

/** The instructions, on a controller: both peers' PAYMENT, TRANSACTION…, and the Rust-only two. */
@Controller()
export class PeerInstructionController {
  @OnInstruction(InstructionType.PAYMENT)
  @OnInstruction(InstructionType.TRANSACTION)
  @OnInstruction(InstructionType.STATUS_UPDATE)
  @OnInstruction(InstructionType.UPDATE_PROFILE)
  @OnInstruction(InstructionType.BANK_PAYMENT_REQUEST)
  @OnInstruction(InstructionType.CHAIN_PAYMENT)
  onInstruction(payload: object, context: MessageBusContext): void {
    record('controller', payload, context);
  }
}

/** The events, on a provider; the relay event through its two-shape union. */
@Injectable()
export class PeerEventHandlers {
  @OnEvent(EventType.NEW_TRANSACTION)
  @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
  @OnEvent(EventType.PAYMENT)
  // Listened to so that a message whose `event` wrongly won over its instruction would show here.
  @OnEvent(EventType.NEW_BANK_PAYMENT)
  @OnEvent(EventType.BANK_PAYMENT)
  @OnEvent(EventType.NEW_USER)
  @OnEvent(EventType.MINT_COMPLETED)
  @OnEvent(EventType.DEPOSIT_FAILED)
  @OnEvent(EventType.RELAY_FAILED)
  @OnEvent(EventType.TRANSACTION_FUNDED_INFO)
  onEvent(payload: object, context: MessageBusContext): void {
    record('provider', payload, context);
  }

  @OnEvent(EventType.RELAY_INITIATED)
  onRelayInitiated(payload: TwoShapeRelayEventPayload, context: MessageBusContext): void {
    record('provider', payload, context, payload.asRelayEvent().dialect);
  }
}

export const PEER_HANDLERS = [PeerInstructionController, PeerEventHandlers];

/** The Rust client's idempotency key in every Rust sample (rust-samples.ts's RUST_META). */
const RUST_IDEMPOTENCY_KEY = /"idempotency_key":"([^"]+)"/.exec(RUST_META)?.[1] as string;

/** The one two-shape type among the samples, as the samples' plain `type` string. */
const RELAY_INITIATED: string = EventType.RELAY_INITIATED;

/** What a Rust sample must be handled as. */
export function expectedFromRust(sample: RustSample): HandledMessage {
  return {
    handler: sample.kind === 'instruction' ? 'controller' : 'provider',
    kind: sample.kind,
    type: sample.type,
    idempotencyKey: RUST_IDEMPOTENCY_KEY,
    payloadClass: sample.payloadClass,
    fields: sample.fields,
    ...(sample.type === RELAY_INITIATED ? { dialect: 'rust' } : {}),
  };
}

/** The Rust client's RELAY_INITIATED sample (`{subject, data}`). */
export const RUST_RELAY_INITIATED = RUST_SAMPLES.find(
  (sample) => sample.type === RELAY_INITIATED,
) as RustSample;

type Json = Record<string, unknown>;

/** meta_data as the Python client builds it, `extra` (e.g. a second type key) appended. */
function pythonMeta(typeKey: 'instruction_type' | 'event', type: string, key: string, extra = {}) {
  return {
    source: 'PYTHON_SERVICE',
    created_at: '2026-03-14T09:26:53Z',
    token: 'python.service.token',
    idempotency_key: key,
    [typeKey]: type,
    ...extra,
  };
}

const validPayment = {
  external_reference: 'P-PY-7',
  payer_name: 'José Müller',
  currency: 'EUR',
  value: '12.50',
  source: 'BANK',
  reference: 'REF-PY-7',
  direction: 'INBOUND',
};

/** A message the Python client writes (its envelope dict) and what it must be handled as. */
export interface PythonCase {
  readonly name: string;
  readonly message: Json;
  readonly expected: HandledMessage;
}

function pythonCase(
  name: string,
  message: { meta_data: Json; payload?: Json },
  expected: Omit<HandledMessage, 'idempotencyKey'>,
): PythonCase {
  return {
    name,
    message,
    expected: { ...expected, idempotencyKey: message.meta_data.idempotency_key as string },
  };
}

const blankPayment = { ...validPayment, payer_name: '', bank_account_number: '  ' };
const blankProfile = { address_line_1: '12 Rue de l’Église', address_line_2: '  ', tax_id: '' };
const pythonRelay = { email: 'ana@example.com', payload: { relay_id: 'relay-91d2' } };

/** The tolerant reader's cases as the Python client writes them (peer-models.md §1.3, §2). */
export const PYTHON_CASES: readonly PythonCase[] = [
  pythonCase(
    'PAYMENT with blank optional strings and ip_address ""',
    {
      meta_data: pythonMeta('instruction_type', 'PAYMENT', 'py-blank-payment', { ip_address: '' }),
      payload: blankPayment,
    },
    {
      handler: 'controller',
      kind: 'instruction',
      type: 'PAYMENT',
      payloadClass: 'PaymentPayload',
      fields: blankPayment,
    },
  ),
  pythonCase(
    'UPDATE_PROFILE with blank optional strings',
    {
      meta_data: pythonMeta('instruction_type', 'UPDATE_PROFILE', 'py-blank-profile'),
      payload: blankProfile,
    },
    {
      handler: 'controller',
      kind: 'instruction',
      type: 'UPDATE_PROFILE',
      payloadClass: 'UpdateProfilePayload',
      fields: blankProfile,
    },
  ),
  pythonCase(
    'instruction_type PAYMENT and event NEW_BANK_PAYMENT: the instruction wins',
    {
      meta_data: pythonMeta('instruction_type', 'PAYMENT', 'py-both-types', {
        event: 'NEW_BANK_PAYMENT',
      }),
      payload: validPayment,
    },
    {
      handler: 'controller',
      kind: 'instruction',
      type: 'PAYMENT',
      payloadClass: 'PaymentPayload',
      fields: validPayment,
    },
  ),
  pythonCase(
    'UPDATE_PROFILE with no payload key',
    { meta_data: pythonMeta('instruction_type', 'UPDATE_PROFILE', 'py-no-payload') },
    {
      handler: 'controller',
      kind: 'instruction',
      type: 'UPDATE_PROFILE',
      payloadClass: 'UpdateProfilePayload',
      fields: {},
    },
  ),
  pythonCase(
    'RELAY_INITIATED in the Python shape {email, payload}',
    { meta_data: pythonMeta('event', 'RELAY_INITIATED', 'py-relay'), payload: pythonRelay },
    {
      handler: 'provider',
      kind: 'event',
      type: 'RELAY_INITIATED',
      payloadClass: 'RelayInitiatedEventPayload',
      fields: pythonRelay,
      dialect: 'python',
    },
  ),
];

/** PAYMENT with no payload key: Python refuses it too; every required field is named. */
export const PYTHON_INVALID_PAYMENT: Json = {
  meta_data: pythonMeta('instruction_type', 'PAYMENT', 'py-payment-no-payload'),
};
export const PAYMENT_REQUIRED_FIELDS = [
  'external_reference',
  'currency',
  'value',
  'source',
  'reference',
  'direction',
].map((field) => `payload.${field}`);

/** Handler calls in a stable order, so two lists compare as multisets. */
export function sortedHandled(calls: readonly HandledMessage[]): HandledMessage[] {
  const text = (call: HandledMessage) => JSON.stringify(call);
  return [...calls].sort((a, b) => text(a).localeCompare(text(b)));
}
