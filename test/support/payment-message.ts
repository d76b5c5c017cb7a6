import { InstructionType, MessageBusMessage, PaymentPayload } from 'nestjs-message-bus';

export interface PaymentMessageOptions {
  /** `payload.reference`. */
  readonly reference: string;
  /** `payload.external_reference`; default `EXT-<reference>`. */
  readonly externalReference?: string;
  /** `payload.payer_name`: personal data, which tests check never reaches a log. */
  readonly payerName: string;
  readonly serviceToken: string;
  readonly idempotencyKey?: string;
  /** More payload fields, or replacements for the ones above. */
  readonly extra?: Record<string, unknown>;
}

/**
 * The PAYMENT instruction the suites send, valid as the Python client builds it. Each suite's
 * kit wraps it with its own token, payer and naming, which its assertions rely on.
 */
export function buildPaymentMessage(
  options: PaymentMessageOptions,
): MessageBusMessage<PaymentPayload> {
  return MessageBusMessage.create<PaymentPayload>({
    source: 'BANKING_SERVICE',
    instructionType: InstructionType.PAYMENT,
    serviceToken: options.serviceToken,
    idempotencyKey: options.idempotencyKey,
    payload: {
      external_reference: options.externalReference ?? `EXT-${options.reference}`,
      payer_name: options.payerName,
      currency: 'EUR',
      value: '100.00',
      source: 'BANK',
      reference: options.reference,
      direction: 'INBOUND',
      ...options.extra,
    },
  });
}
