import { Test, type TestingModule } from '@nestjs/testing';
import type { Producer } from 'kafkajs';
import {
  ConsumerOrchestrator,
  MessageBusModule,
  type ConsumerStatus,
  type MessageBusModuleOptions,
  type RetryOptions,
  type TokenVerificationOptions,
} from 'nestjs-message-bus';
import { MessageBusTestBus } from 'nestjs-message-bus/testing';
import type { SqsClient } from '../../../lib/transports/sqs/sqs.client';
import { sqsEndpoint } from '../../support/broker-environment';
import { CapturedLogger } from '../../support/captured-logger';
import { ACCOUNT_ID, DUMMY_CREDENTIALS } from '../sqs/sqs-test-kit';
import {
  committedOffsets,
  createTopics,
  kafkaOptions,
  rawKafka,
  readRecords,
  recordCount,
  uniqueName,
} from '../runtime/kafka/kafka-runtime-kit';
import {
  attribute,
  createQueue,
  drainQueue,
  integrationClient,
  queueDepth,
  sendRaw,
} from '../runtime/sqs/sqs-consumer-kit';
import { TokenPaymentHandler } from './token-handler';

/** Retries of the token suites: quick, and enough for a JWKS that is down for one attempt. */
export const TOKEN_RETRY: RetryOptions = { maxAttempts: 4, initialDelayMs: 300, maxDelayMs: 1_000 };

/** A dead letter as read back from the transport: its body, reason and other headers. */
export interface ObservedDeadLetter {
  readonly body: string;
  readonly reason: string;
  readonly attempts: string | undefined;
  /** Every header / message attribute the transport put on it, the reason included. */
  readonly headers: Readonly<Record<string, string>>;
}

/** One transport under the token suite: one app, messages in, dead letters and acks out. */
export interface TokenRig {
  readonly name: string;
  readonly logger: CapturedLogger;
  start(tokenVerification: TokenVerificationOptions): Promise<void>;
  send(body: string): Promise<void>;
  /** Dead letters so far (those already read are kept). */
  deadLetters(): Promise<ObservedDeadLetter[]>;
  /** Whether everything sent has been acknowledged or dead-lettered at its source. */
  sourceDrained(): Promise<boolean>;
  /** The app's one consumer, as `statuses()` reports it. */
  status(): ConsumerStatus;
  close(): Promise<void>;
}

async function bootTokenApp(
  options: MessageBusModuleOptions,
  logger: CapturedLogger,
): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [MessageBusModule.forRoot(options)],
    providers: [TokenPaymentHandler],
  }).compile();
  app.useLogger(logger);
  await app.init();
  return app;
}

export class MemoryTokenRig implements TokenRig {
  readonly name = 'memory';
  readonly logger = new CapturedLogger();
  private app?: TestingModule;
  private bus!: MessageBusTestBus;
  private readonly pending: Promise<unknown>[] = [];

  async start(tokenVerification: TokenVerificationOptions): Promise<void> {
    this.app = await bootTokenApp(
      {
        transport: 'memory',
        tokenVerification,
        consumers: {
          sqs: [{ queue: 'payments', deadLetterQueue: 'payments-dlq', retry: TOKEN_RETRY }],
        },
      },
      this.logger,
    );
    this.bus = MessageBusTestBus.from(this.app);
  }

  async send(body: string): Promise<void> {
    this.pending.push(this.bus.publishAndWait(body, 'payments'));
  }

  async deadLetters(): Promise<ObservedDeadLetter[]> {
    return this.bus.deadLetters('payments').map((record) => ({
      body: record.body,
      reason: record.reason,
      attempts: String(record.attempts),
      headers: { reason: record.reason },
    }));
  }

  async sourceDrained(): Promise<boolean> {
    let idle = false;
    await Promise.race([
      this.bus.whenIdle().then(() => (idle = true)),
      new Promise((r) => setTimeout(r, 10)),
    ]);
    return idle;
  }

  status(): ConsumerStatus {
    return (this.app as TestingModule).get(ConsumerOrchestrator).statuses()[0];
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.pending);
    await this.app?.close();
  }
}

export class SqsTokenRig implements TokenRig {
  readonly name = 'sqs (ElasticMQ)';
  readonly logger = new CapturedLogger();
  private app?: TestingModule;
  private client!: SqsClient;
  private queue!: string;
  private deadLetterQueue!: string;
  private readonly seen: ObservedDeadLetter[] = [];

  async start(tokenVerification: TokenVerificationOptions): Promise<void> {
    this.client = integrationClient();
    this.queue = await createQueue(this.client, 'tokens');
    this.deadLetterQueue = await createQueue(this.client, 'tokens-dlq');
    this.app = await bootTokenApp(
      {
        transport: 'sqs',
        sqs: {
          queueUrl: `${sqsEndpoint()}/${ACCOUNT_ID}`,
          region: 'eu-west-1',
          credentials: DUMMY_CREDENTIALS,
        },
        tokenVerification,
        consumers: {
          sqs: [
            {
              queue: this.queue,
              deadLetterQueue: this.deadLetterQueue,
              retry: TOKEN_RETRY,
              waitTimeSeconds: 1,
            },
          ],
        },
      },
      this.logger,
    );
  }

  async send(body: string): Promise<void> {
    await sendRaw(this.queue, body);
  }

  async deadLetters(): Promise<ObservedDeadLetter[]> {
    for (const message of await drainQueue(this.client, this.deadLetterQueue)) {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(message.messageAttributes))
        headers[name] = value.stringValue ?? '';
      this.seen.push({
        body: message.rawBody,
        reason: attribute(message, 'bus-reason') ?? '',
        attempts: attribute(message, 'bus-attempts'),
        headers,
      });
    }
    return [...this.seen];
  }

  async sourceDrained(): Promise<boolean> {
    const depth = await queueDepth(this.client, this.queue);
    return depth.visible === 0 && depth.inFlight === 0;
  }

  status(): ConsumerStatus {
    return (this.app as TestingModule).get(ConsumerOrchestrator).statuses()[0];
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.client?.close();
  }
}

export class KafkaTokenRig implements TokenRig {
  readonly name = 'kafka';
  readonly logger = new CapturedLogger();
  private app?: TestingModule;
  private topic!: string;
  private groupId!: string;
  private producer?: Producer;
  private sent = 0;
  private readonly partitions = 2;

  async start(tokenVerification: TokenVerificationOptions): Promise<void> {
    this.topic = uniqueName('tokens');
    this.groupId = `${this.topic}-group`;
    await createTopics(this.topic, this.partitions);
    this.producer = rawKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
    this.app = await bootTokenApp(
      {
        transport: 'kafka',
        kafka: kafkaOptions(),
        tokenVerification,
        consumers: {
          kafka: [
            {
              topic: this.topic,
              groupId: this.groupId,
              retry: TOKEN_RETRY,
              members: this.partitions,
            },
          ],
        },
        shutdownTimeoutMs: 10_000,
      },
      this.logger,
    );
  }

  async send(body: string): Promise<void> {
    await (this.producer as Producer).send({
      topic: this.topic,
      acks: -1,
      messages: [{ value: body, partition: this.sent % this.partitions }],
    });
    this.sent += 1;
  }

  async deadLetters(): Promise<ObservedDeadLetter[]> {
    const count = await recordCount(`${this.topic}.dlq`);
    if (count === 0) return [];
    return (await readRecords(`${this.topic}.dlq`, count)).map((record) => ({
      body: record.value?.toString('utf8') ?? '',
      reason: record.headers['bus-reason'] ?? '',
      attempts: record.headers['bus-attempts'],
      headers: record.headers,
    }));
  }

  async sourceDrained(): Promise<boolean> {
    const committed = await committedOffsets(this.groupId, this.topic);
    const total = [...committed.values()].reduce((sum, offset) => sum + Math.max(offset, 0), 0);
    return total === this.sent;
  }

  status(): ConsumerStatus {
    return (this.app as TestingModule).get(ConsumerOrchestrator).statuses()[0];
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.producer?.disconnect();
  }
}
