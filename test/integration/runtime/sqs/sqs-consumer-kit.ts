import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ConsoleLogger, Inject, Injectable, Logger, type LoggerService } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  ConsumerOrchestrator,
  InstructionType,
  MessageBusContext,
  MessageBusModule,
  OnInstruction,
  PaymentPayload,
  type ConsumerStatus,
  type SqsConsumerOptions,
} from 'nestjs-message-bus';
import { MessageBusMessage } from '../../../../lib/message/message-bus-message';
import type { SqsReceivedMessage } from '../../../../lib/transports/sqs/sqs-received-message.interface';
import type { SqsClient } from '../../../../lib/transports/sqs/sqs.client';
import { sqsEndpoint, uniqueName } from '../../../support/broker-environment';
import { buildPaymentMessage } from '../../../support/payment-message';
import {
  ACCOUNT_ID,
  DUMMY_CREDENTIALS,
  integrationClient,
  SERVICE_TOKEN,
} from '../../sqs/sqs-test-kit';

export { integrationClient, queueDepth } from '../../sqs/sqs-test-kit';
export { SERVICE_TOKEN };

/** The personal data every test payment carries; it must never reach a log line. */
export const PAYER_NAME = 'Zoë Müller-Secret';

/** What a test's handler does with each payment; set per test. */
export type PaymentBehaviour = (
  payment: PaymentPayload,
  context: MessageBusContext,
) => Promise<void> | void;

const BEHAVIOUR = Symbol('PaymentBehaviour');

@Injectable()
export class PaymentHandler {
  constructor(@Inject(BEHAVIOUR) private readonly behaviour: PaymentBehaviour) {}

  @OnInstruction(InstructionType.PAYMENT)
  async onPayment(payment: PaymentPayload, context: MessageBusContext): Promise<void> {
    await this.behaviour(payment, context);
  }
}

/** A payment whose `reference` names it, so tests can tell every message apart. */
export function payment(reference: string): MessageBusMessage {
  return buildPaymentMessage({ reference, payerName: PAYER_NAME, serviceToken: SERVICE_TOKEN });
}

export function references(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${prefix}-${String(index).padStart(4, '0')}`);
}

/** Sends payments in batches of 10; resolves with their SQS message ids by reference. */
export async function sendPayments(
  client: SqsClient,
  queue: string,
  refs: readonly string[],
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (let start = 0; start < refs.length; start += 10) {
    const chunk = refs.slice(start, start + 10);
    const result = await client.sendMessages(chunk.map(payment), queue);
    for (const sent of result.successful) ids.set(chunk[sent.index], sent.messageId);
  }
  return ids;
}

/** Sends a body as is, e.g. text SqsClient would refuse to send. */
export async function sendRaw(queue: string, body: string): Promise<string> {
  const sdk = new SQSClient({
    region: 'eu-west-1',
    endpoint: sqsEndpoint(),
    credentials: DUMMY_CREDENTIALS,
  });
  try {
    const output = await sdk.send(
      new SendMessageCommand({
        QueueUrl: `${sqsEndpoint()}/${ACCOUNT_ID}/${queue}`,
        MessageBody: body,
      }),
    );
    return output.MessageId ?? '';
  } finally {
    sdk.destroy();
  }
}

/** Creates a queue with a short visibility timeout; returns its name. */
export async function createQueue(
  client: SqsClient,
  prefix: string,
  attributes: Record<string, string> = {},
): Promise<string> {
  const fifo = prefix.endsWith('.fifo');
  const name = fifo ? `${uniqueName(prefix.slice(0, -5))}.fifo` : uniqueName(prefix);
  await client.createQueue(name, { VisibilityTimeout: '5', ...attributes });
  return name;
}

/** Receives everything on a queue until it has stayed empty for a second. */
export async function drainQueue(
  client: SqsClient,
  queue: string,
  expected = Number.POSITIVE_INFINITY,
): Promise<SqsReceivedMessage[]> {
  const received: SqsReceivedMessage[] = [];
  while (received.length < expected) {
    const batch = await client.receiveMessages(queue, {
      waitTimeSeconds: 1,
      visibilityTimeout: 60,
    });
    if (batch.length === 0) break;
    received.push(...batch);
  }
  return received;
}

export interface ConsumerApp {
  readonly app: TestingModule;
  status(): ConsumerStatus[];
  close(): Promise<void>;
}

export interface StartOptions {
  readonly behaviour: PaymentBehaviour;
  readonly consumers: SqsConsumerOptions[];
  readonly shutdownTimeoutMs?: number;
  /** Default: the test emulator. */
  readonly queueUrl?: string;
  readonly maxAttempts?: number;
  readonly logger?: LoggerService;
  /** An SDK client of the test's own (`sqs.client`), e.g. to log the calls the consumer makes. */
  readonly sdkClient?: SQSClient;
}

/** A real Nest app with MessageBusModule on SQS and the test's payment handler, started. */
export async function startConsumerApp(options: StartOptions): Promise<ConsumerApp> {
  const app = await Test.createTestingModule({
    imports: [
      MessageBusModule.forRoot({
        transport: 'sqs',
        sqs: options.sdkClient
          ? {
              queueUrl: options.queueUrl ?? `${sqsEndpoint()}/${ACCOUNT_ID}`,
              client: options.sdkClient,
            }
          : {
              queueUrl: options.queueUrl ?? `${sqsEndpoint()}/${ACCOUNT_ID}`,
              region: 'eu-west-1',
              credentials: DUMMY_CREDENTIALS,
              ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
            },
        consumers: { sqs: options.consumers },
        ...(options.shutdownTimeoutMs !== undefined
          ? { shutdownTimeoutMs: options.shutdownTimeoutMs }
          : {}),
      }),
    ],
    providers: [PaymentHandler, { provide: BEHAVIOUR, useValue: options.behaviour }],
  }).compile();
  if (options.logger) app.useLogger(options.logger);
  await app.init();
  let closed = false;
  return {
    app,
    status: () => app.get(ConsumerOrchestrator).statuses(),
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

/** Polls `check` until it returns true, or fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(everyMs);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Keeps every log line a test's apps write, and still prints them. */
export class CapturingLogger extends ConsoleLogger {
  readonly lines: string[] = [];

  override log(message: unknown, ...rest: unknown[]): void {
    this.lines.push(String(message));
    super.log(message, ...(rest as [string]));
  }

  override warn(message: unknown, ...rest: unknown[]): void {
    this.lines.push(String(message));
    super.warn(message, ...(rest as [string]));
  }

  override error(message: unknown, ...rest: unknown[]): void {
    this.lines.push(String(message));
    super.error(message, ...(rest as [string]));
  }

  /** Puts Nest's default logger back, for the next test. */
  static restore(): void {
    Logger.overrideLogger(new ConsoleLogger());
  }
}

/** A String message attribute of a received message. */
export function attribute(message: SqsReceivedMessage, name: string): string | undefined {
  return message.messageAttributes[name]?.stringValue;
}

/** What a runtime suite shares: one SqsClient, and the apps its tests start. */
export interface ConsumerSuite {
  client: SqsClient;
  readonly apps: ConsumerApp[];
}

/**
 * Registers the hooks every runtime suite needs: a client for the suite, and every app a
 * test pushed onto `apps` closed after that test.
 */
export function useConsumerSuite(): ConsumerSuite {
  const suite = { apps: [] as ConsumerApp[] } as unknown as ConsumerSuite;
  beforeAll(() => {
    suite.client = integrationClient();
  });
  afterEach(async () => {
    await Promise.all(suite.apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await suite.client.close();
  });
  return suite;
}
