import { InstructionType } from '../../../../lib/message/instruction-type.enum';
import { MessageBusMessage } from '../../../../lib/message/message-bus-message';

/** The test JWT; tests assert it never shows up in an error. */
export const SERVICE_TOKEN = 'header.claims.signature-that-must-not-leak';

export const PAYMENT_PAYLOAD = {
  external_reference: 'P123',
  payer_name: 'Zoë Müller',
  currency: 'EUR',
  value: '100.00',
  source: 'BANK',
  reference: 'REF123',
  direction: 'INBOUND',
  bank_account_number: 'GB123',
};

export function paymentMessage(idempotencyKey?: string): MessageBusMessage {
  return MessageBusMessage.create({
    source: 'BANKING_SERVICE',
    instructionType: InstructionType.PAYMENT,
    payload: PAYMENT_PAYLOAD,
    serviceToken: SERVICE_TOKEN,
    idempotencyKey,
  });
}

/** A plain envelope whose payload lacks `currency`. */
export function invalidEnvelope(): Record<string, unknown> {
  const { currency: _currency, ...payload } = PAYMENT_PAYLOAD;
  return {
    meta_data: {
      source: 'BANKING_SERVICE',
      instruction_type: 'PAYMENT',
      created_at: '2021-01-01T00:00:00Z',
      token: SERVICE_TOKEN,
      idempotency_key: 'key-123',
    },
    payload,
  };
}
