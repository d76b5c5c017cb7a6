import { Inject, Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  ConsumerOrchestrator,
  EventType,
  InstructionType,
  MessageBusContext,
  MessageBusMessage,
  MessageBusModule,
  OnEvent,
  OnInstruction,
  RedisIdempotencyStore,
  type ConsumerStatus,
  type IdempotencyOptions,
  type MessageBusModuleOptions,
  type RetryOptions,
} from 'nestjs-message-bus';
import { MessageTransports } from '../../../lib/transports/message-transports';
import type { MemoryTransport } from '../../../lib/transports/memory/memory.transport';
import { brokerVariable, uniqueName } from '../../support/broker-environment';
import { buildPaymentMessage } from '../../support/payment-message';
import {
  createQueue,
  integrationClient,
  queueDepth,
  sendRaw,
} from '../runtime/sqs/sqs-consumer-kit';
import {
  committedOffsets,
  createTopics,
  kafkaOptions,
  produceRaw,
  SERVICE_TOKEN,
} from '../runtime/kafka/kafka-runtime-kit';
import { emulatorSqsOptions } from '../sqs/sqs-test-kit';

/** The handlers of the suite: one instruction handler, and two handlers of one event. */
export type HandlerName = 'payment' | 'book' | 'notify';

/** One call of a handler: which handler, which key, which attempt, when it started and ended. */
export interface LedgerCall {
  readonly handler: HandlerName;
  readonly key: string;
  readonly attempt: number;
  readonly at: number;
  endedAt?: number;
  outcome?: 'succeeded' | 'failed';
}

/** What a handler does on its n-th call (1-based) for a key: return to succeed, throw to fail. */
export type LedgerBehaviour = (call: number) => void | Promise<void>;

/** Every handler call of a test, across all its apps (they run in this process). */
export class IdempotencyLedger {
  readonly calls: LedgerCall[] = [];
  private readonly behaviours = new Map<string, LedgerBehaviour>();

  define(handler: HandlerName, key: string, behaviour: LedgerBehaviour): void {
    this.behaviours.set(`${handler}|${key}`, behaviour);
  }

  callsOf(handler: HandlerName, key: string): LedgerCall[] {
    return this.calls.filter((call) => call.handler === handler && call.key === key);
  }

  succeeded(handler: HandlerName, key: string): number {
    return this.callsOf(handler, key).filter((call) => call.outcome === 'succeeded').length;
  }

  /** Calls of one handler and key that were running at the same time as another of them. */
  overlapping(handler: HandlerName, key: string): boolean {
    const calls = this.callsOf(handler, key);
    return calls.some((a, i) =>
      calls.some(
        (b, j) => i < j && b.at < (a.endedAt ?? Infinity) && a.at < (b.endedAt ?? Infinity),
      ),
    );
  }

  async run(handler: HandlerName, context: MessageBusContext): Promise<void> {
    const key = context.getMetaData().idempotency_key;
    const call: LedgerCall = {
      handler,
      key,
      attempt: context.getAttempt(),
      at: Date.now(),
    };
    const n = this.callsOf(handler, key).length + 1;
    this.calls.push(call);
    try {
      await this.behaviours.get(`${handler}|${key}`)?.(n);
      call.outcome = 'succeeded';
    } catch (error) {
      call.outcome = 'failed';
      throw error;
    } finally {
      call.endedAt = Date.now();
    }
  }
}

export const LEDGER = Symbol('IdempotencyLedger');

@Injectable()
export class IdempotentHandlers {
  constructor(@Inject(LEDGER) private readonly ledger: IdempotencyLedger) {}

  @OnInstruction(InstructionType.PAYMENT)
  async onPayment(_payment: object, context: MessageBusContext): Promise<void> {
    await this.ledger.run('payment', context);
  }

  @OnEvent(EventType.PAYMENT)
  async book(_payment: object, context: MessageBusContext): Promise<void> {
    await this.ledger.run('book', context);
  }

  @OnEvent(EventType.PAYMENT)
  async notify(_payment: object, context: MessageBusContext): Promise<void> {
    await this.ledger.run('notify', context);
  }
}

/** A PAYMENT instruction with this idempotency key. */
export function paymentWith(key: string): MessageBusMessage {
  return buildPaymentMessage({
    reference: key,
    payerName: 'Zoë Müller',
    serviceToken: SERVICE_TOKEN,
    idempotencyKey: key,
  });
}

/** A PAYMENT event (two handlers) with this idempotency key. */
export function paymentEventWith(key: string): MessageBusMessage {
  return MessageBusMessage.create({
    source: 'BANKING_SERVICE',
    event: EventType.PAYMENT,
    serviceToken: SERVICE_TOKEN,
    idempotencyKey: key,
    payload: { external_reference: `EXT-${key}`, reference: key, source: 'BANK' },
  });
}

/** A Redis store on the repo's redis-server (REDIS_URL), with keys of its own for the test. */
export function redisStore(
  prefix: string,
  url = brokerVariable('REDIS_URL'),
): RedisIdempotencyStore {
  return new RedisIdempotencyStore({ url, keyPrefix: `${prefix}:` });
}

export const IDEMPOTENCY_RETRY: RetryOptions = {
  maxAttempts: 20,
  initialDelayMs: 200,
  multiplier: 2,
  maxDelayMs: 1_000,
};

/** One transport under the suite: its source, its apps, and when what was sent is settled. */
export abstract class IdempotencyHarness {
  abstract readonly name: string;
  readonly ledger = new IdempotencyLedger();
  protected readonly apps: TestingModule[] = [];

  abstract prepare(partitions?: number): Promise<void>;
  protected abstract busOptions(idempotency: IdempotencyOptions): MessageBusModuleOptions;
  /** Sends `message` as is; `copy` spreads copies over partitions (Kafka) or apps (memory). */
  abstract send(message: MessageBusMessage, copy?: number): Promise<void>;
  /** Resolves once everything sent is acknowledged (or dead-lettered). */
  abstract settled(timeoutMs?: number): Promise<void>;

  async startApp(idempotency: IdempotencyOptions): Promise<TestingModule> {
    const app = await Test.createTestingModule({
      imports: [MessageBusModule.forRoot(this.busOptions(idempotency))],
      providers: [IdempotentHandlers, { provide: LEDGER, useValue: this.ledger }],
    }).compile();
    await app.init();
    this.apps.push(app);
    return app;
  }

  statuses(): ConsumerStatus[] {
    return this.apps.flatMap((app) => app.get(ConsumerOrchestrator).statuses());
  }

  /** A count summed over every app's consumer. */
  total(field: 'handled' | 'retried' | 'deadLettered' | 'duplicate'): number {
    return this.statuses().reduce((sum, status) => sum + (status[field] ?? 0), 0);
  }

  async closeApps(): Promise<void> {
    await Promise.all(this.apps.splice(0).map((app) => app.close()));
  }

  async dispose(): Promise<void> {
    await this.closeApps();
  }
}

export class MemoryIdempotencyHarness extends IdempotencyHarness {
  readonly name = 'memory';
  private queue = '';

  async prepare(_partitions?: number): Promise<void> {
    this.queue = uniqueName('idempotency');
  }

  protected busOptions(idempotency: IdempotencyOptions): MessageBusModuleOptions {
    return {
      transport: 'memory',
      consumers: {
        sqs: [
          {
            queue: this.queue,
            deadLetterQueue: `${this.queue}-dlq`,
            retry: IDEMPOTENCY_RETRY,
            idempotency: true,
          },
        ],
      },
      idempotency: { ...idempotency, enabled: false },
    };
  }

  private transport(index: number): MemoryTransport {
    const app = this.apps[index % this.apps.length];
    return app.get(MessageTransports, { strict: false }).memory;
  }

  async send(message: MessageBusMessage, copy = 0): Promise<void> {
    this.transport(copy).publishRaw(message.serialize(), this.queue);
  }

  async settled(): Promise<void> {
    await Promise.all(this.apps.map((_, index) => this.transport(index).whenIdle()));
  }
}

export class SqsIdempotencyHarness extends IdempotencyHarness {
  readonly name = 'sqs (ElasticMQ)';
  private readonly client = integrationClient();
  queue = '';
  private deadLetterQueue = '';

  async prepare(_partitions?: number): Promise<void> {
    this.queue = await createQueue(this.client, 'idempotency');
    this.deadLetterQueue = await createQueue(this.client, 'idempotency-dlq');
  }

  protected busOptions(idempotency: IdempotencyOptions): MessageBusModuleOptions {
    return {
      transport: 'sqs',
      sqs: emulatorSqsOptions(),
      consumers: {
        sqs: [
          {
            queue: this.queue,
            deadLetterQueue: this.deadLetterQueue,
            retry: IDEMPOTENCY_RETRY,
            waitTimeSeconds: 1,
            visibilityTimeout: 5,
            idempotency: true,
          },
        ],
      },
      idempotency: { ...idempotency, enabled: false },
    };
  }

  async send(message: MessageBusMessage): Promise<void> {
    await sendRaw(this.queue, message.serialize());
  }

  async settled(timeoutMs = 45_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    // Empty twice in a row: ElasticMQ's counts lag a delete by a moment.
    while (quiet < 2) {
      const depth = await queueDepth(this.client, this.queue);
      quiet = depth.visible === 0 && depth.inFlight === 0 ? quiet + 1 : 0;
      if (Date.now() > deadline)
        throw new Error(`${this.queue} still holds messages: ${JSON.stringify(depth)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  override async dispose(): Promise<void> {
    await super.dispose();
    await this.client.close();
  }
}

export class KafkaIdempotencyHarness extends IdempotencyHarness {
  readonly name = 'kafka';
  private topic = '';
  private groupId = '';
  private partitions = 1;
  private readonly sent = new Map<number, number>();

  async prepare(partitions = 2): Promise<void> {
    this.topic = uniqueName('idempotency');
    this.groupId = `${this.topic}-group`;
    this.partitions = partitions;
    await createTopics(this.topic, partitions);
  }

  protected busOptions(idempotency: IdempotencyOptions): MessageBusModuleOptions {
    return {
      transport: 'kafka',
      kafka: kafkaOptions(),
      consumers: {
        kafka: [
          {
            topic: this.topic,
            groupId: this.groupId,
            retry: IDEMPOTENCY_RETRY,
            members: this.partitions,
            idempotency: true,
          },
        ],
      },
      idempotency: { ...idempotency, enabled: false },
      shutdownTimeoutMs: 10_000,
    };
  }

  async send(message: MessageBusMessage, copy = 0): Promise<void> {
    const partition = copy % this.partitions;
    this.sent.set(partition, (this.sent.get(partition) ?? 0) + 1);
    await produceRaw(this.topic, [{ value: message.serialize(), partition }]);
  }

  async settled(timeoutMs = 45_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const committed = await committedOffsets(this.groupId, this.topic);
      const done = [...this.sent].every(([partition, count]) => committed.get(partition) === count);
      if (done) return;
      if (Date.now() > deadline) {
        throw new Error(
          `${this.topic}: committed ${JSON.stringify([...committed])}, sent ${JSON.stringify([...this.sent])}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** The source and group, for a child process that consumes them. */
  coordinates(): { topic: string; groupId: string } {
    return { topic: this.topic, groupId: this.groupId };
  }
}
