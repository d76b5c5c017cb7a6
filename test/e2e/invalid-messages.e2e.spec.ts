import { Injectable, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  EventType,
  InstructionType,
  MessageBusMessage,
  OnEvent,
  OnInstruction,
} from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentMessage, SERVICE_TOKEN } from './fixtures/messages';

const attemptsByReference = new Map<string, number>();

@Injectable()
class Handlers {
  @OnInstruction(InstructionType.PAYMENT)
  pay(payload: { reference: string }) {
    const attempts = (attemptsByReference.get(payload.reference) ?? 0) + 1;
    attemptsByReference.set(payload.reference, attempts);
    if (payload.reference.startsWith('ALWAYS-FAILS')) throw new Error('bank rejected the transfer');
    if (payload.reference.startsWith('FAILS-TWICE') && attempts <= 2)
      throw new Error('bank timed out');
  }

  @OnEvent(EventType.NEW_PROFILE)
  profile() {}
}

@Module({
  imports: [
    MessageBusTestingModule.forRoot({
      consumers: {
        sqs: [
          {
            queue: 'payments',
            deadLetterQueue: 'payments-dlq',
            retry: { maxAttempts: 3, initialDelayMs: 5 },
          },
        ],
      },
    }),
  ],
  providers: [Handlers],
})
class AppUnderTest {}

describe('messages the app cannot process', () => {
  let app: TestingModule;
  let bus: MessageBusTestBus;

  beforeAll(async () => {
    app = await Test.createTestingModule({ imports: [AppUnderTest] }).compile();
    await app.init();
    bus = MessageBusTestBus.from(app);
  });
  afterAll(() => app.close());

  it.each([
    ['invalid JSON', '{"meta_data": ', 'invalid-message', /body is not valid JSON/],
    [
      'a payload failing its DTO',
      JSON.stringify({ ...paymentMessage().toDict(), payload: { reference: 'R' } }),
      'invalid-message',
      /payload\.currency is required/,
    ],
    [
      'a meta_data without token',
      JSON.stringify({
        ...paymentMessage().toDict(),
        meta_data: { ...paymentMessage().meta_data, token: '  ' },
      }),
      'invalid-message',
      /meta_data\.token must not be blank/,
    ],
    [
      'an unknown type',
      JSON.stringify({
        meta_data: { ...paymentMessage().toDict().meta_data, instruction_type: 'REFUND' },
        payload: {},
      }),
      'unknown-type',
      /REFUND/,
    ],
    [
      'a NEW_USER not in the Rust client shape (title, identifier)',
      JSON.stringify({
        meta_data: {
          source: 'S',
          created_at: 'now',
          token: 't',
          idempotency_key: 'k',
          event: 'NEW_USER',
        },
        payload: { id: '1' },
      }),
      'invalid-message',
      /payload\.title is required/,
    ],
  ])('dead-letters %s at once with its reason', async (_case, body, reason, text) => {
    const [settlement] = await bus.publishAndWait(body, 'payments');

    expect(settlement).toMatchObject({
      deadLettered: true,
      attempts: 1,
      outcome: { status: 'rejected', reason },
    });
    const record = bus
      .deadLetters('payments')
      .find((letter) => letter.messageId === settlement.messageId);
    expect(record?.deadLetter).toBe('payments-dlq');
    expect(record?.body).toBe(body);
    expect(record?.reason).toMatch(text);
  });

  // The tolerant reader (peer-models.md §1.3, §3): what the Python client accepts is handled.
  it.each([
    ['blank optional strings', { payer_name: '', bank_account_number: '  ' }, { ip_address: '' }],
    ['both instruction_type and event', {}, { event: EventType.NEW_BANK_PAYMENT }],
  ])('handles a PAYMENT with %s, as the Python client does', async (label, payload, meta) => {
    const reference = `TOLERATED-${label.length}`;
    const wire = paymentMessage(reference).toDict();
    const body = JSON.stringify({
      meta_data: { ...wire.meta_data, ...meta },
      payload: { ...wire.payload, ...payload },
    });
    const [settlement] = await bus.publishAndWait(body, 'payments');
    expect(settlement).toMatchObject({ deadLettered: false, outcome: { status: 'handled' } });
    expect(attemptsByReference.get(reference)).toBe(1);
  });

  it('reads a NEW_PROFILE without a payload key as an empty payload and names what is missing', async () => {
    const body = JSON.stringify({
      meta_data: {
        source: 'S',
        created_at: 'now',
        token: 't',
        idempotency_key: 'k',
        event: 'NEW_PROFILE',
      },
    });
    const [settlement] = await bus.publishAndWait(body, 'payments');
    expect(settlement).toMatchObject({
      deadLettered: true,
      outcome: { status: 'rejected', reason: 'invalid-message' },
    });
    const record = bus.deadLetters().find((letter) => letter.messageId === settlement.messageId);
    expect(record?.reason).toMatch(/payload\.title is required/);
    expect(record?.reason).toMatch(/payload\.identifier is required/);
  });

  it('dead-letters a valid message that no handler listens to', async () => {
    const update = MessageBusMessage.create({
      source: 'S',
      instructionType: InstructionType.STATUS_UPDATE,
      serviceToken: SERVICE_TOKEN,
      payload: { reference: 'R', status: 'X' },
    });
    const [settlement] = await bus.publishAndWait(update, 'payments');
    expect(settlement).toMatchObject({
      deadLettered: true,
      outcome: { status: 'rejected', reason: 'no-handler' },
    });
  });

  it('never puts a token or payload value in a dead-letter reason', async () => {
    const leaky = paymentMessage('R-LEAK', { payer_name: 'Secret Person' }).toDict();
    const [settlement] = await bus.publishAndWait(
      JSON.stringify({ ...leaky, payload: { ...leaky.payload, currency: ' ' } }),
      'payments',
    );
    const record = bus.deadLetters().find((letter) => letter.messageId === settlement.messageId);
    expect(record?.reason).toMatch(/payload\.currency must not be blank/);
    expect(record?.reason).not.toContain(SERVICE_TOKEN);
    expect(record?.reason).not.toContain('Secret Person');
  });

  it('retries a handler that fails twice and acknowledges it on the third attempt', async () => {
    const [settlement] = await bus.publishAndWait(paymentMessage('FAILS-TWICE-1'), 'payments');
    expect(settlement).toMatchObject({
      deadLettered: false,
      attempts: 3,
      outcome: { status: 'handled' },
    });
    expect(attemptsByReference.get('FAILS-TWICE-1')).toBe(3);
  });

  it('dead-letters a handler that always fails after maxAttempts', async () => {
    const [settlement] = await bus.publishAndWait(paymentMessage('ALWAYS-FAILS-1'), 'payments');
    expect(settlement).toMatchObject({
      deadLettered: true,
      attempts: 3,
      outcome: { status: 'failed' },
    });
    expect(attemptsByReference.get('ALWAYS-FAILS-1')).toBe(3);
    const record = bus
      .deadLetters('payments')
      .find((letter) => letter.messageId === settlement.messageId);
    expect(record?.reason).toBe('handler-error: Error: bank rejected the transfer');
  });

  it('keeps running after all of that', async () => {
    const [settlement] = await bus.publishAndWait(paymentMessage('FINE-1'), 'payments');
    expect(settlement.outcome.status).toBe('handled');
  });
});
