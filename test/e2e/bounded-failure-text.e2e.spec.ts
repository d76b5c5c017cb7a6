import { Injectable, Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  DeadLetter,
  InstructionType,
  OnInstruction,
  type PaymentPayload,
} from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { FAILURE_TEXT_MAX_BYTES } from '../../lib/errors/bounded-failure-text';
import { CapturedLogger } from '../support/captured-logger';
import { longKeyEnvelope } from '../support/poison-messages';
import { paymentMessage } from './fixtures/messages';

/**
 * The memory bus bounds failure text as SQS and Kafka do (the same policy builds the reason),
 * so a test on it predicts the dead-letter reason and the log lines of production: the
 * long-key poison message, a handler error as long as the message, and a long `DeadLetter`
 * reason each give a reason of at most FAILURE_TEXT_MAX_BYTES and no long log line.
 */
const HUGE = 600_000;
/** Room a log line has beside its reason: the delivery's coordinates and the advice. */
const LINE_OVERHEAD_BYTES = 1_024;

@Injectable()
class LoudPayments {
  @OnInstruction(InstructionType.PAYMENT)
  pay(payment: PaymentPayload): void {
    if (payment.reference === 'LOUD') throw new Error(`ledger said ${'no '.repeat(HUGE / 3)}`);
    if (payment.reference === 'REFUSED')
      throw new DeadLetter(`refused: ${'why '.repeat(HUGE / 4)}`);
  }
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');
const fastRetry = { maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 10 };

let app: TestingModule | undefined;
const logger = new CapturedLogger();
afterEach(async () => {
  await app?.close();
  app = undefined;
  logger.lines.length = 0;
});

async function start(): Promise<MessageBusTestBus> {
  @Module({
    imports: [
      MessageBusTestingModule.forRoot({
        consumers: {
          sqs: [{ queue: 'payments', deadLetterQueue: 'payments-dlq', retry: fastRetry }],
          kafka: [{ topic: 'ledger', retry: fastRetry }],
        },
      }),
    ],
    providers: [LoudPayments],
  })
  class AppModule {}
  app = await Test.createTestingModule({ imports: [AppModule] }).compile();
  app.useLogger(logger);
  await app.init();
  return MessageBusTestBus.from(app);
}

describe('the memory bus bounds failure text as SQS and Kafka do', () => {
  it.each(['payments', 'ledger'])(
    'dead-letters the long-key poison message from %s with a bounded reason',
    async (source) => {
      const bus = await start();
      const poison = longKeyEnvelope(HUGE);

      const [settlement] = await bus.publishAndWait(poison, source);

      expect(settlement.action).toBe('dead-letter');
      const [letter] = bus.deadLetters(source);
      expect(letter.body).toBe(poison);
      expect(letter.reason).toMatch(/^invalid-message: .*is nested more than 32 levels deep/);
      expect(bytes(letter.reason)).toBeLessThanOrEqual(FAILURE_TEXT_MAX_BYTES);
      expectShortLogLines();
    },
  );

  it('bounds a handler error and a DeadLetter reason as long as the message', async () => {
    const bus = await start();

    await bus.publishAndWait(paymentMessage('LOUD'), 'payments');
    await bus.publishAndWait(paymentMessage('REFUSED'), 'ledger');

    const [loud, refused] = bus.deadLetters();
    expect(loud.reason).toMatch(/^handler-error: Error: ledger said no no /);
    expect(refused.reason).toMatch(/^dead-letter-requested: DeadLetter: refused: why why /);
    for (const letter of [loud, refused]) {
      expect(bytes(letter.reason)).toBeLessThanOrEqual(FAILURE_TEXT_MAX_BYTES);
      expect(letter.reason.endsWith('…')).toBe(true);
    }
    expect(logger.containing('Retrying')).toHaveLength(1);
    expectShortLogLines();
  });
});

function expectShortLogLines(): void {
  expect(logger.containing('Dead-lettered').length).toBeGreaterThan(0);
  const longest = Math.max(...logger.lines.map((line) => bytes(line.text)));
  expect(longest).toBeLessThan(FAILURE_TEXT_MAX_BYTES + LINE_OVERHEAD_BYTES);
}
