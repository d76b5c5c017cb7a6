import { InstructionType } from '../lib/message/instruction-type.enum';
import { MessageBusMessage } from '../lib/message/message-bus-message';

/**
 * PAYMENT envelopes as a producer would send them, each ~505 bytes with its own idempotency
 * key; `external_reference` carries the message's index (fixed width, so every envelope has
 * the same size), which the failure runs read to fail chosen messages deterministically.
 */
export function paymentEnvelopeText(index: number): string {
  return MessageBusMessage.create({
    source: 'BANKING_SERVICE',
    instructionType: InstructionType.PAYMENT,
    serviceToken: 'bench.service.token',
    payload: {
      external_reference: envelopeReference(index),
      payer_name: 'Zoë Müller',
      currency: 'EUR',
      value: '1250.00',
      source: 'BANK',
      reference: 'REF-BENCH-'.padEnd(64, '0'),
      direction: 'INBOUND',
      bank_account_number: 'GB29NWBK60161331926819',
    },
  }).serialize();
}

export function envelopeReference(index: number): string {
  return `EXT-${String(index).padStart(9, '0')}`;
}

/** The index `paymentEnvelopeText` put into `external_reference`, or -1. */
export function envelopeIndex(externalReference: unknown): number {
  return typeof externalReference === 'string' && externalReference.startsWith('EXT-')
    ? Number(externalReference.slice(4))
    : -1;
}

/** Fails the first attempt of every message whose index falls on the rate (0, 1 or 10 %). */
export function failsFirstAttempt(index: number, failurePercent: number): boolean {
  if (failurePercent <= 0) return false;
  return index % Math.round(100 / failurePercent) === 0;
}

const REQUIRED_PAYMENT_FIELDS = [
  'external_reference',
  'currency',
  'value',
  'source',
  'reference',
  'direction',
] as const;

/**
 * What a careful user writes by hand instead of a library: the envelope is an object, its
 * meta_data names PAYMENT and carries a token and an idempotency key, and every required
 * PAYMENT field is a non-blank string (direction one of the two values). Throws when not.
 */
export function checkPaymentByHand(body: unknown): void {
  if (typeof body !== 'object' || body === null) throw new Error('body is not an object');
  const { meta_data: meta, payload } = body as Record<string, unknown>;
  if (typeof meta !== 'object' || meta === null) throw new Error('meta_data missing');
  const m = meta as Record<string, unknown>;
  if (m.instruction_type !== 'PAYMENT') throw new Error('not a PAYMENT');
  if (typeof m.token !== 'string' || typeof m.idempotency_key !== 'string')
    throw new Error('meta_data.token or idempotency_key missing');
  if (typeof payload !== 'object' || payload === null) throw new Error('payload missing');
  const p = payload as Record<string, unknown>;
  for (const field of REQUIRED_PAYMENT_FIELDS) {
    const value = p[field];
    if (typeof value !== 'string' || value.trim() === '') throw new Error(`${field} missing`);
  }
  if (p.direction !== 'INBOUND' && p.direction !== 'OUTBOUND') throw new Error('bad direction');
}
