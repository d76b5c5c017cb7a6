import { Controller, Injectable, Module, type DynamicModule } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  ConsumerOrchestrator,
  DeadLetter,
  EventType,
  InstructionType,
  MessageBusContext,
  MessageBusMessage,
  MessageBusPublisher,
  OnEvent,
  OnInstruction,
  RetryLater,
  type MessageBusModuleOptions,
  type PaymentPayload,
} from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { paymentMessage, SERVICE_TOKEN, statusEvent } from './fixtures/messages';

/** What the handlers saw, in order: `reference@attempt`. */
const calls: string[] = [];
/** Per reference: how many attempts fail before one succeeds, or a signal to throw. */
const behaviour = new Map<string, number | 'dead-letter' | 'retry-later'>();

async function act(reference: string, attempt: number): Promise<void> {
  calls.push(`${reference}@${attempt}`);
  const plan = behaviour.get(reference);
  if (plan === 'dead-letter') throw new DeadLetter('no such account');
  if (plan === 'retry-later' && attempt === 1) throw new RetryLater(150, 'rate limited');
  if (typeof plan === 'number' && attempt <= plan) throw new Error(`attempt ${attempt} fails`);
  // Let other work interleave, so that ordering is really tested.
  await new Promise((resolve) => setTimeout(resolve, 5));
}

@Controller()
class PaymentsController {
  @OnInstruction(InstructionType.PAYMENT)
  async pay(@Payload() payment: PaymentPayload, @Ctx() context: MessageBusContext): Promise<void> {
    await act(payment.reference, context.getAttempt());
  }
}

@Injectable()
class StatusProjector {
  @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
  async project(event: { reference: string }, context: MessageBusContext): Promise<void> {
    await act(event.reference, context.getAttempt());
  }
}

const fastRetry = { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 50 };

let app: TestingModule | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  calls.length = 0;
  behaviour.clear();
});

async function start(
  options: Omit<MessageBusModuleOptions, 'transport'>,
): Promise<MessageBusTestBus> {
  const bus: DynamicModule = MessageBusTestingModule.forRoot(options);
  @Module({ imports: [bus], controllers: [PaymentsController], providers: [StatusProjector] })
  class AppModule {}
  app = await Test.createTestingModule({ imports: [AppModule] }).compile();
  await app.init();
  return MessageBusTestBus.from(app);
}

function keyed(reference: string, key: string): [MessageBusMessage, { key: string }] {
  return [paymentMessage(reference), { key }];
}

describe('the memory bus is a peer of SQS and Kafka', () => {
  it('leaves a refused message on an SQS queue that has no dead-letter queue, as SQS does', async () => {
    const bus = await start({ consumers: { sqs: [{ queue: 'payments', retry: fastRetry }] } });

    const [settlement] = await bus.publishAndWait('{"meta_data": {}}', 'payments');

    expect(settlement).toMatchObject({ action: 'leave', deadLettered: false });
    expect(settlement.outcome).toMatchObject({ status: 'rejected', reason: 'invalid-message' });
    // No invented `payments.dlq`.
    expect(bus.deadLetters()).toEqual([]);
  });

  it('dead-letters to the SQS consumer’s own deadLetterQueue, and to a Kafka topic’s <topic>.dlq', async () => {
    const bus = await start({
      consumers: {
        sqs: [{ queue: 'payments', deadLetterQueue: 'payments-dlq', retry: fastRetry }],
        kafka: [{ topic: 'ledger', retry: fastRetry }],
      },
    });

    await bus.publishAndWait('not json', 'payments');
    await bus.publishAndWait('not json', 'ledger');

    expect(bus.deadLetters().map((letter) => [letter.source, letter.deadLetter])).toEqual([
      ['payments', 'payments-dlq'],
      ['ledger', 'ledger.dlq'],
    ]);
  });

  it('keeps Kafka order per key: a failing message holds up its key, not the others', async () => {
    const bus = await start({ consumers: { kafka: [{ topic: 'payments', retry: fastRetry }] } });
    const publisher = app!.get(MessageBusPublisher);
    behaviour.set('A1', 1);

    await publisher.publish(...withDestination(keyed('A1', 'account-a')));
    await publisher.publish(...withDestination(keyed('A2', 'account-a')));
    await publisher.publish(...withDestination(keyed('B1', 'account-b')));
    await bus.whenIdle();

    // B1 runs while A1 waits for its retry; A2 only after A1 is done.
    expect(calls.indexOf('B1@1')).toBeLessThan(calls.indexOf('A1@2'));
    expect(calls.indexOf('A1@2')).toBeLessThan(calls.indexOf('A2@1'));
    expect(calls.filter((call) => call.startsWith('A2'))).toEqual(['A2@1']);
  });

  it('keeps SQS FIFO order per message group across a retry', async () => {
    const bus = await start({
      consumers: {
        sqs: [{ queue: 'orders.fifo', deadLetterQueue: 'orders-dlq.fifo', retry: fastRetry }],
      },
    });
    const publisher = app!.get(MessageBusPublisher);
    behaviour.set('G1', 2);

    await publisher.publish(paymentMessage('G1'), 'orders.fifo', { messageGroupId: 'g' });
    await publisher.publish(paymentMessage('G2'), 'orders.fifo', { messageGroupId: 'g' });
    await publisher.publish(paymentMessage('H1'), 'orders.fifo', { messageGroupId: 'h' });
    await bus.whenIdle();

    expect(calls.filter((call) => /^G/.test(call))).toEqual(['G1@1', 'G1@2', 'G1@3', 'G2@1']);
    expect(calls.indexOf('H1@1')).toBeLessThan(calls.indexOf('G1@3'));
  });

  it('runs the same retry policy: retried with backoff, then dead-lettered with the reason', async () => {
    const bus = await start({
      consumers: { sqs: [{ queue: 'payments', deadLetterQueue: 'dlq', retry: fastRetry }] },
    });
    behaviour.set('FLAKY', 1);
    behaviour.set('BROKEN', 99);

    const [flaky] = await bus.publishAndWait(paymentMessage('FLAKY'), 'payments');
    const [broken] = await bus.publishAndWait(paymentMessage('BROKEN'), 'payments');

    expect(flaky).toMatchObject({ action: 'acknowledge', attempts: 2 });
    expect(broken).toMatchObject({ action: 'dead-letter', attempts: 3 });
    expect(bus.deadLetters()[0].reason).toBe('handler-error: Error: attempt 3 fails');
    expect(app!.get(ConsumerOrchestrator).statuses()[0]).toMatchObject({
      handled: 1,
      retried: 3,
      deadLettered: 1,
    });
  });
});

describe('handler signals', () => {
  it('DeadLetter sends the message to the dead-letter destination at once, with its reason', async () => {
    const bus = await start({
      consumers: { sqs: [{ queue: 'payments', deadLetterQueue: 'dlq', retry: fastRetry }] },
    });
    behaviour.set('NO-ACCOUNT', 'dead-letter');

    const [settlement] = await bus.publishAndWait(paymentMessage('NO-ACCOUNT'), 'payments');

    expect(settlement).toMatchObject({ action: 'dead-letter', attempts: 1 });
    expect(bus.deadLetters()[0].reason).toBe('dead-letter-requested: DeadLetter: no such account');
    expect(calls).toEqual(['NO-ACCOUNT@1']);
  });

  it('RetryLater brings the message back after the delay the handler asked for', async () => {
    const bus = await start({
      // The backoff alone would retry after 1 ms at most.
      consumers: {
        kafka: [{ topic: 'payments', retry: { maxAttempts: 3, initialDelayMs: 1, maxDelayMs: 1 } }],
      },
    });
    behaviour.set('LIMITED', 'retry-later');
    const started = Date.now();

    const [settlement] = await bus.publishAndWait(paymentMessage('LIMITED'), 'payments');

    expect(settlement).toMatchObject({ action: 'acknowledge', attempts: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('unhandled messages', () => {
  const profileEvent = (): MessageBusMessage =>
    MessageBusMessage.create({
      source: 'IDENTITY_SERVICE',
      event: EventType.NEW_PROFILE,
      serviceToken: SERVICE_TOKEN,
      payload: { title: 'Ms', identifier: 'user-1' },
    });
  const mint = (): MessageBusMessage =>
    MessageBusMessage.create({
      source: 'CHAIN',
      instructionType: InstructionType.MINT,
      serviceToken: SERVICE_TOKEN,
      payload: { value: '1', currency: 'EURC', chain: 'c', reference: 'M1' },
    });

  it('acknowledges an event nobody handles and dead-letters an instruction nobody handles, by default', async () => {
    const bus = await start({
      consumers: { kafka: [{ topic: 'events', retry: fastRetry }] },
    });

    const [event] = await bus.publishAndWait(profileEvent(), 'events');
    const [instruction] = await bus.publishAndWait(mint(), 'events');

    expect(event).toMatchObject({
      action: 'acknowledge',
      outcome: { status: 'ignored', reason: 'no-handler' },
    });
    expect(instruction).toMatchObject({ action: 'dead-letter', outcome: { reason: 'no-handler' } });
    expect(bus.deadLetters().map((letter) => letter.reason.split(':')[0])).toEqual(['no-handler']);
  });

  it('follows unhandled: module-wide, and per consumer over the module', async () => {
    const bus = await start({
      unhandled: 'dead-letter',
      consumers: {
        kafka: [
          { topic: 'strict', retry: fastRetry },
          { topic: 'lenient', retry: fastRetry, unhandled: 'acknowledge' },
        ],
      },
    });

    const [strict] = await bus.publishAndWait(profileEvent(), 'strict');
    const [lenient] = await bus.publishAndWait(mint(), 'lenient');

    expect(strict).toMatchObject({ action: 'dead-letter' });
    expect(lenient).toMatchObject({ action: 'acknowledge', outcome: { status: 'ignored' } });
  });

  it('still runs the handlers of a type that has them', async () => {
    const bus = await start({ consumers: { kafka: [{ topic: 'events', retry: fastRetry }] } });

    const [settlement] = await bus.publishAndWait(statusEvent('S1', 'DONE'), 'events');

    expect(settlement).toMatchObject({ action: 'acknowledge', outcome: { status: 'handled' } });
    expect(calls).toEqual(['S1@1']);
  });
});

function withDestination([message, options]: [MessageBusMessage, { key: string }]): [
  MessageBusMessage,
  string,
  { key: string },
] {
  return [message, 'payments', options];
}
