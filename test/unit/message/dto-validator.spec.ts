import { describe, expect, it } from 'vitest';
import type { MessageFieldIssue } from '../../../lib/errors/message-validation.error';
import { BUILT_IN_EVENT_PAYLOADS, BUILT_IN_INSTRUCTION_PAYLOADS } from '../../../lib/message/built-in-message-types';
import { MetaData } from '../../../lib/message/meta-data';
import { KycEventPayload } from '../../../lib/message/payloads/events/kyc-event.payload';
import { RelayInitiatedEventPayload } from '../../../lib/message/payloads/events/relay-event.payload';
import { PaymentPayload } from '../../../lib/message/payloads/instructions/payment.payload';
import { TransactionPayload } from '../../../lib/message/payloads/instructions/transaction.payload';
import { DtoValidator } from '../../../lib/message/validation/dto-validator';

// Subclasses are not registered for the direct path, so they run plainToInstance + validateSync:
// the reference the direct path must match exactly.
class GeneralPayment extends PaymentPayload {}
class GeneralTransaction extends TransactionPayload {}
class GeneralKyc extends KycEventPayload {}
class GeneralRelay extends RelayInitiatedEventPayload {}
class GeneralMetaData extends MetaData {}

function run<T extends object>(cls: new () => T, input: Record<string, unknown>) {
  const issues: MessageFieldIssue[] = [];
  const instance = DtoValidator.for(cls).validate(input as never, 'payload', issues);
  return { issues, fields: instance ? { ...instance } : undefined };
}

describe('DtoValidator', () => {
  it('runs the library DTOs on the direct path and other classes on the general one', () => {
    for (const cls of [MetaData, ...Object.values(BUILT_IN_INSTRUCTION_PAYLOADS), ...Object.values(BUILT_IN_EVENT_PAYLOADS)]) {
      expect(DtoValidator.for(cls).isCompiled, cls.name).toBe(true);
    }
    expect(DtoValidator.for(GeneralPayment).isCompiled).toBe(false);
  });

  it.each<[string, new () => object, new () => object, Record<string, unknown>]>([
    ['a valid payment', PaymentPayload, GeneralPayment, { external_reference: 'E', currency: 'EUR', value: '1', source: 'B', reference: 'R', direction: 'INBOUND', extra: 1 }],
    ['a payment with every rule broken', PaymentPayload, GeneralPayment, { external_reference: ' ', currency: 5, value: null, reference: '', direction: 'SIDEWAYS', payer_name: '' }],
    ['a deposit without payer', TransactionPayload, GeneralTransaction, { transaction_type: 'DEPOSIT', payee: '  ' }],
    ['a withdraw with payee', TransactionPayload, GeneralTransaction, { external_reference: 'E', source: 'S', reference: 'R', first_name: 'F', last_name: 'L', transaction_type: 'WITHDRAW', status: 'S', incoming_currency: 'EUR', outgoing_currency: 'USD', value: '1', fee: '0', payee: 'P' }],
    ['a completed KYC without result', KycEventPayload, GeneralKyc, { title: 'T', identifier: 'I', review_status: 'CoMpLeTeD' }],
    ['a relay record with a number', RelayInitiatedEventPayload, GeneralRelay, { email: 'e', payload: { a: 'b', n: 1 } }],
    ['a relay record', RelayInitiatedEventPayload, GeneralRelay, { email: 'e', payload: { a: 'b' } }],
    ['meta data with both types', MetaData, GeneralMetaData, { source: 'S', created_at: 'c', token: 't', idempotency_key: 'k', instruction_type: 'PAYMENT', event: 'NEW_PROFILE' }],
    ['meta data with neither type', MetaData, GeneralMetaData, { source: '', created_at: 'c', token: 't', idempotency_key: 'k', ip_address: ' ' }],
  ])('matches class-validator exactly on %s', (_case, direct, general, input) => {
    expect(run(direct, input)).toEqual(run(general, input));
  });

  it('copies objects it keeps, so input cannot reach a prototype', () => {
    const input = JSON.parse('{"email": "e", "payload": {"a": "b", "__proto__": {"polluted": "yes"}}}') as Record<string, unknown>;
    const { fields } = run(RelayInitiatedEventPayload, input);
    expect(fields?.payload).toEqual({ a: 'b' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(fields?.payload).not.toBe(input.payload);
  });
});
