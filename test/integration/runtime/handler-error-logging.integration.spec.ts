import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  ConsumerOrchestrator,
  MessageBusModule,
  MessageBusServer,
  type ConsumerStatus,
  type MessageBusMessage,
  type MessageBusModuleOptions,
} from 'nestjs-message-bus';
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { KafkaClient } from '../../../lib/transports/kafka/kafka.client';
import type { SqsClient } from '../../../lib/transports/sqs/sqs.client';
import { sqsEndpoint } from '../../support/broker-environment';
import {
  expectOneLinePerFailedAttempt,
  FailingController,
  FailingPatternController,
  failingPayment,
  FailingProvider,
  failingStatusEvent,
  failures,
  secretsOf,
} from '../../support/failed-attempt-logging';
import { CapturedLogger } from '../../support/captured-logger';
import { ACCOUNT_ID, DUMMY_CREDENTIALS } from '../sqs/sqs-test-kit';
import { createTopics, kafkaOptions, SERVICE_TOKEN, uniqueName } from './kafka/kafka-runtime-kit';
import { createQueue, integrationClient, waitFor } from './sqs/sqs-consumer-kit';

/**
 * Defect 6 of issue 9 on the real brokers: a handler that always fails (the module's, on a
 * controller and on a provider, or a MessageBusServer pattern) writes one line per failed
 * attempt, by the consumer class (SqsConsumer, KafkaConsumer), through Nest's Logger, with the
 * type, idempotency key, queue or topic, attempt and the error's name and message, and never
 * the token or payload data; Nest's exception handlers write nothing.
 */

const ATTEMPTS = 2;
const retry = { maxAttempts: ATTEMPTS, initialDelayMs: 10, maxDelayMs: 10 };

/** Where a test's messages go: the bus settings that consume it, and how to send to it. */
interface Route {
  readonly options: MessageBusModuleOptions;
  /** How the consumer's line names the source (`sqs:<queue>`, `kafka:<topic>[0]`). */
  readonly where: string;
  send(messages: readonly MessageBusMessage[]): Promise<void>;
}

interface Transport {
  readonly name: 'sqs' | 'kafka';
  readonly context: string;
  route(): Promise<Route>;
}

let sqsClient: SqsClient;

const transports: Transport[] = [
  {
    name: 'sqs',
    context: 'SqsConsumer',
    route: async () => {
      const queue = await createQueue(sqsClient, 'failure-logging');
      const deadLetterQueue = await createQueue(sqsClient, 'failure-logging-dlq');
      return {
        options: {
          transport: 'sqs',
          sqs: {
            queueUrl: `${sqsEndpoint()}/${ACCOUNT_ID}`,
            region: 'eu-west-1',
            credentials: DUMMY_CREDENTIALS,
          },
          consumers: { sqs: [{ queue, deadLetterQueue, waitTimeSeconds: 1, retry }] },
        },
        where: `sqs:${queue}`,
        send: async (messages) => {
          await sqsClient.sendMessages(messages, queue);
        },
      };
    },
  },
  {
    name: 'kafka',
    context: 'KafkaConsumer',
    route: async () => {
      const topic = uniqueName('failure-logging');
      await createTopics(topic, 1);
      return {
        options: {
          transport: 'kafka',
          kafka: kafkaOptions(),
          consumers: { kafka: [{ topic, retry }] },
        },
        where: `kafka:${topic}[0]`,
        send: async (messages) => {
          const client = new KafkaClient(kafkaOptions());
          try {
            await client.sendMessages(
              messages.map((message) => ({ message })),
              topic,
            );
          } finally {
            await client.close();
          }
        },
      };
    },
  },
];

interface RunningApp {
  statuses(): ConsumerStatus[];
  close(): Promise<void>;
}

/** The two ways of running handlers, on the same bus settings. */
const runners = {
  /** MessageBusModule with `@OnInstruction` on a controller and `@OnEvent` on a provider. */
  module: async (options: MessageBusModuleOptions, logger: LoggerService): Promise<RunningApp> => {
    const app = await Test.createTestingModule({
      imports: [MessageBusModule.forRoot(options)],
      controllers: [FailingController],
      providers: [FailingProvider],
    }).compile();
    app.useLogger(logger);
    await app.init();
    return { statuses: () => app.get(ConsumerOrchestrator).statuses(), close: () => app.close() };
  },
  /** MessageBusServer with a `@MessagePattern` and an `@EventPattern`. */
  server: async (options: MessageBusModuleOptions, logger: LoggerService): Promise<RunningApp> => {
    const server = new MessageBusServer(options);
    const moduleRef = await Test.createTestingModule({
      controllers: [FailingPatternController],
    }).compile();
    const app = moduleRef.createNestMicroservice({ strategy: server, logger });
    await app.listen();
    return { statuses: () => server.consumerStatuses(), close: () => app.close() };
  },
};

describe('one log line per failed attempt, on real SQS and Kafka', () => {
  const apps: RunningApp[] = [];

  beforeAll(() => {
    sqsClient = integrationClient();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    Logger.overrideLogger(new ConsoleLogger());
    failures.reset();
  });
  afterAll(async () => {
    await sqsClient.close();
  });

  describe.each(transports)('on $name', (transport) => {
    it.each([
      { runner: 'module', hosts: 'a controller and a provider' },
      { runner: 'server', hosts: 'MessageBusServer patterns' },
    ] as const)(
      '$hosts ($runner)',
      async ({ runner }) => {
        const route = await transport.route();
        const logger = new CapturedLogger();
        const app = await runners[runner](route.options, logger);
        apps.push(app);
        const reference = uniqueName(`${transport.name}-${runner}`);
        const messages = [
          failingPayment(`${reference}-payment`, SERVICE_TOKEN),
          failingStatusEvent(`${reference}-status`, SERVICE_TOKEN),
        ];

        await route.send(messages);
        await waitFor(
          'both messages dead-lettered',
          () => app.statuses().reduce((sum, status) => sum + status.deadLettered, 0) >= 2,
          40_000,
        );

        for (const message of messages) {
          expectOneLinePerFailedAttempt(logger.lines, {
            context: transport.context,
            message,
            source: route.where,
            attempts: ATTEMPTS,
            secrets: secretsOf(message, SERVICE_TOKEN),
          });
        }
      },
      60_000,
    );
  });
});
