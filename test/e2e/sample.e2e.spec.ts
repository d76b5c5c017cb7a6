import { Test, type TestingModule } from '@nestjs/testing';
import {
  EventType,
  InstructionType,
  MessageBusMessage,
  TransactionStatusEventPayload,
} from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppModule } from '../../sample/app.module';
import { PAYMENTS, TRANSACTION_STATUS } from '../../sample/bus-options.factory';
import { PaymentLedger } from '../../sample/payments/payment-ledger.service';
import { paymentMessage } from './fixtures/messages';

describe('sample payments service', () => {
  let app: TestingModule;
  let bus: MessageBusTestBus;
  const previousTransport = process.env.SAMPLE_TRANSPORT;

  beforeEach(async () => {
    // The app is configured for SQS, as in production; the testing module swaps in the in-memory bus.
    process.env.SAMPLE_TRANSPORT = 'sqs';
    app = await MessageBusTestingModule.useInMemoryBus(
      Test.createTestingModule({ imports: [AppModule] }),
    ).compile();
    await app.init();
    bus = MessageBusTestBus.from(app);
  });

  afterEach(async () => {
    await app.close();
    if (previousTransport === undefined) delete process.env.SAMPLE_TRANSPORT;
    else process.env.SAMPLE_TRANSPORT = previousTransport;
  });

  it('records a PAYMENT, publishes its status, and handles that status event', async () => {
    const notifications: string[] = [];
    app
      .get(PaymentLedger)
      .on('notified', (reference: string, status: string) =>
        notifications.push(`${reference}:${status}`),
      );

    const [settlement] = await bus.publishAndWait(paymentMessage('SAMPLE-1'), PAYMENTS);

    expect(settlement.outcome.status).toBe('handled');
    expect(app.get(PaymentLedger).get('SAMPLE-1')).toMatchObject({
      currency: 'EUR',
      value: '100.00',
      status: 'RECORDED',
    });
    const [published] = bus.published(TRANSACTION_STATUS);
    expect(published.message.type).toBe(EventType.TRANSACTION_STATUS_UPDATE);
    expect(published.message.payload).toBeInstanceOf(TransactionStatusEventPayload);
    expect(published.message.payload).toMatchObject({ reference: 'SAMPLE-1', status: 'RECORDED' });
    expect(notifications).toEqual(['SAMPLE-1:RECORDED']);
  });

  it('dead-letters an invalid PAYMENT and records nothing', async () => {
    const invalid = { ...paymentMessage('SAMPLE-2').toDict(), payload: { reference: 'SAMPLE-2' } };
    const [settlement] = await bus.publishAndWait(JSON.stringify(invalid), PAYMENTS);

    expect(settlement).toMatchObject({
      deadLettered: true,
      outcome: { status: 'rejected', reason: 'invalid-message' },
    });
    expect(bus.deadLetters(PAYMENTS)[0].deadLetter).toBe(`${PAYMENTS}-dlq`);
    expect(app.get(PaymentLedger).get('SAMPLE-2')).toBeUndefined();
    expect(bus.published()).toEqual([]);
  });

  it('publishes the same status event key when a PAYMENT is redelivered', async () => {
    const payment = paymentMessage('SAMPLE-3');
    await bus.publishAndWait(payment, PAYMENTS);
    await bus.publishAndWait(MessageBusMessage.fromJSON(payment.serialize()), PAYMENTS);

    const keys = bus
      .published(TRANSACTION_STATUS)
      .map((record) => record.message.meta_data.idempotency_key);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
    expect(payment.type).toBe(InstructionType.PAYMENT);
  });
});
