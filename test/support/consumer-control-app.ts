import {
  Controller,
  Injectable,
  Module,
  type DynamicModule,
  type LoggerService,
} from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  EventType,
  InstructionType,
  MessageBusConsumers,
  MessageBusModule,
  MessageBusPublisher,
  OnEvent,
  OnInstruction,
  type MessageBusMessage,
  type MessageBusModuleOptions,
  type PaymentPayload,
} from 'nestjs-message-bus';
import { MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { afterEach } from 'vitest';
import { paymentMessage, statusEvent } from '../e2e/fixtures/messages';

/**
 * A fixture app for the consumer-control suites: payments (instructions) are handled by a
 * `@Controller()`, status events by a provider, and each handled reference is written down,
 * so a test can tell how often each message ran. The same app runs on memory, SQS and Kafka.
 */
export class HandledLedger {
  readonly payments: string[] = [];
  readonly statuses: string[] = [];
  /** Each handler waits this long first, so a test can pause while handlers run. */
  handlerDelayMs = 0;

  async record(into: string[], reference: string): Promise<void> {
    if (this.handlerDelayMs > 0)
      await new Promise((resolve) => setTimeout(resolve, this.handlerDelayMs));
    into.push(reference);
  }

  /** References handled more than once. */
  static duplicates(handled: readonly string[]): string[] {
    return handled.filter((reference, index) => handled.indexOf(reference) !== index);
  }
}

export interface ControlApp {
  readonly app: TestingModule;
  readonly ledger: HandledLedger;
  readonly consumers: MessageBusConsumers;
  readonly publisher: MessageBusPublisher;
  close(): Promise<void>;
}

/**
 * Starts a Nest app with MessageBusModule on `options`, or on the in-memory bus with
 * `memory: true` (`MessageBusTestingModule.forRoot`), and the fixture's two handlers.
 */
export async function startControlApp(
  options: MessageBusModuleOptions,
  { memory = false, logger }: { memory?: boolean; logger?: LoggerService } = {},
): Promise<ControlApp> {
  const ledger = new HandledLedger();

  @Controller()
  class PaymentsController {
    @OnInstruction(InstructionType.PAYMENT)
    async pay(payment: PaymentPayload): Promise<void> {
      await ledger.record(ledger.payments, payment.reference);
    }
  }

  @Injectable()
  class StatusProjector {
    @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
    async project(event: { reference: string }): Promise<void> {
      await ledger.record(ledger.statuses, event.reference);
    }
  }

  const bus: DynamicModule = memory
    ? MessageBusTestingModule.forRoot(options)
    : MessageBusModule.forRoot(options);
  @Module({ imports: [bus], controllers: [PaymentsController], providers: [StatusProjector] })
  class ControlAppModule {}

  const app = await Test.createTestingModule({ imports: [ControlAppModule] }).compile();
  if (logger) app.useLogger(logger);
  await app.init();
  let closed = false;
  return {
    app,
    ledger,
    consumers: app.get(MessageBusConsumers),
    publisher: app.get(MessageBusPublisher),
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

export function references(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}-${index}`);
}

/** Publishes one message per reference to `destination`, keyed so Kafka spreads them. */
async function publishEach(
  build: (reference: string) => MessageBusMessage,
  publisher: MessageBusPublisher,
  destination: string,
  refs: readonly string[],
): Promise<void> {
  for (const reference of refs)
    await publisher.publish(build(reference), destination, { key: reference });
}

/** PAYMENT instructions, for the controller's handler. */
export const publishPayments = publishEach.bind(null, (reference) => paymentMessage(reference));
/** TRANSACTION_STATUS_UPDATE events, for the provider's handler. */
export const publishStatuses = publishEach.bind(null, (reference) => statusEvent(reference));

/** `startControlApp` for a suite: every app it starts is closed after each test. */
export function startsClosedAfterEach(): typeof startControlApp {
  const apps: ControlApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  return async (options, settings) => {
    const app = await startControlApp(options, settings);
    apps.push(app);
    return app;
  };
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until true, or fails naming `what` after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(50);
  }
}
