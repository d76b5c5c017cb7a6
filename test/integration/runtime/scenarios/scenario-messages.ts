import { EventType, InstructionType, MessageBusMessage } from 'nestjs-message-bus';
import { buildPaymentMessage } from '../../../support/payment-message';
import type { HandlerHost } from './scenario-handlers';

const SERVICE_TOKEN = 'scenario.service.token';

/** The message the handler on `host` listens to, with `reference` naming it. */
export function handledMessage(host: HandlerHost, reference: string): string {
  if (host === 'provider') return paymentWire(reference).serialize();
  return MessageBusMessage.create({
    source: 'LEDGER_SERVICE',
    event: EventType.TRANSACTION_STATUS_UPDATE,
    serviceToken: SERVICE_TOKEN,
    payload: { reference, status: 'COMPLETED' },
  }).serialize();
}

/** A PAYMENT envelope with `edit` applied to its wire object: for envelopes the bus must refuse. */
export function editedPayment(
  reference: string,
  edit: (wire: { meta_data: Record<string, unknown>; payload: Record<string, unknown> }) => void,
): string {
  const wire = JSON.parse(paymentWire(reference).serialize()) as Parameters<typeof edit>[0];
  edit(wire);
  return JSON.stringify(wire);
}

/** A valid KYC_EVENT, which no handler of the scenario app listens to. */
export function unhandledEvent(tag: string): string {
  return MessageBusMessage.create({
    source: 'IDENTITY_SERVICE',
    event: EventType.KYC_EVENT,
    serviceToken: SERVICE_TOKEN,
    payload: { title: 'KYC review started', identifier: tag, review_status: 'pending' },
  }).serialize();
}

/** A valid STATUS_UPDATE instruction, which no handler of the scenario app listens to. */
export function unhandledInstruction(tag: string): string {
  return MessageBusMessage.create({
    source: 'BANKING_SERVICE',
    instructionType: InstructionType.STATUS_UPDATE,
    serviceToken: SERVICE_TOKEN,
    payload: { reference: tag, status: 'COMPLETED' },
  }).serialize();
}

function paymentWire(reference: string): MessageBusMessage {
  return buildPaymentMessage({ reference, payerName: 'Ada Scenario', serviceToken: SERVICE_TOKEN });
}
