import { Controller, Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConsumerOrchestrator,
  InstructionType,
  KafkaConnectionError,
  MessageBusModule,
  OnInstruction,
  PaymentPayload,
  SqsConsumerFailedError,
  type MessageBusModuleOptions,
  type StartupPolicy,
} from 'nestjs-message-bus';
import { sqsEndpoint, uniqueName } from '../../../support/broker-environment';
import { ACCOUNT_ID, DUMMY_CREDENTIALS, integrationClient } from '../../sqs/sqs-test-kit';
import { createTopics, kafkaOptions, payment, producePayments } from '../kafka/kafka-runtime-kit';
import { TcpForwarder } from './tcp-forwarder';

/** References of the payments the handlers saw, in order. */
const seen: string[] = [];

/** A handler on a provider (the SQS cases). */
@Injectable()
class PaymentProvider {
  @OnInstruction(InstructionType.PAYMENT)
  onPayment(payment: PaymentPayload): void {
    seen.push(payment.reference);
  }
}

/** A handler on a controller (the Kafka cases). */
@Controller()
class PaymentController {
  @OnInstruction(InstructionType.PAYMENT)
  onPayment(payment: PaymentPayload): void {
    seen.push(payment.reference);
  }
}

const modules: TestingModule[] = [];
const forwarders: TcpForwarder[] = [];

async function boot(options: MessageBusModuleOptions, kafka = false): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [MessageBusModule.forRoot(options)],
    ...(kafka ? { controllers: [PaymentController] } : { providers: [PaymentProvider] }),
  }).compile();
  modules.push(app);
  await app.init();
  return app;
}

function status(app: TestingModule) {
  return app.get(ConsumerOrchestrator).statuses()[0];
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A port on which nothing listens until the test opens it, then forwarding to `port`. */
async function laterBroker(port: number): Promise<TcpForwarder> {
  const forwarder = await TcpForwarder.reserve({ host: '127.0.0.1', port });
  forwarders.push(forwarder);
  return forwarder;
}

function sqsOptions(port: number, queue: string, startup?: StartupPolicy): MessageBusModuleOptions {
  return {
    sqs: {
      queueUrl: `http://127.0.0.1:${port}/${ACCOUNT_ID}`,
      region: 'eu-west-1',
      credentials: DUMMY_CREDENTIALS,
      maxAttempts: 1,
    },
    consumers: { sqs: [{ queue, waitTimeSeconds: 1 }] },
    ...(startup ? { startup } : {}),
  };
}

function kafkaModuleOptions(
  bootstrapServers: string,
  topic: string,
  startup?: StartupPolicy,
): MessageBusModuleOptions {
  return {
    kafka: kafkaOptions({ bootstrapServers, logLevel: 'nothing' }),
    consumers: { kafka: [{ topic, groupId: uniqueName('startup-group') }] },
    ...(startup ? { startup } : {}),
  };
}

describe('startup: the same policy for an unreachable broker on SQS and Kafka', () => {
  afterEach(async () => {
    await Promise.all(modules.splice(0).map((app) => app.close().catch(() => undefined)));
    await Promise.all(forwarders.splice(0).map((forwarder) => forwarder.close()));
    seen.length = 0;
  });

  it("SQS, 'fail-fast': bootstrap rejects, naming the queue and the endpoint", async () => {
    const closed = await laterBroker(9324);
    const queue = uniqueName('startup-fast');

    const boot_ = boot(sqsOptions(closed.port, queue, 'fail-fast'));

    await expect(boot_).rejects.toThrow(SqsConsumerFailedError);
    await expect(boot_).rejects.toThrow(
      new RegExp(
        `SQS consumer of queue ${queue} stopped: SQS at http://127.0.0.1:${closed.port}/${ACCOUNT_ID}/${queue} could not be reached at start-up \\(.*ECONNREFUSED.*\\): check sqs.queueUrl`,
      ),
    );
  });

  it("SQS, 'keep-retrying' (the default): the app starts reconnecting and consumes once SQS comes", async () => {
    const sqs = await laterBroker(Number(new URL(sqsEndpoint()).port));
    const queue = uniqueName('startup-retry');
    const app = await boot(sqsOptions(sqs.port, queue));

    await waitFor('reconnecting', () => status(app).state === 'reconnecting');
    expect(status(app).lastError).toMatch(/ECONNREFUSED/);

    const client = integrationClient();
    try {
      await client.createQueue(queue);
      await client.sendMessage(payment('SQS-LATE-1'), queue);
      await sqs.open();
      await waitFor('the payment handled', () => seen.includes('SQS-LATE-1'));
      expect(status(app)).toMatchObject({ state: 'running', handled: 1 });
    } finally {
      await client.deleteQueue(queue).catch(() => undefined);
      await client.close();
    }
  });

  it("Kafka, 'fail-fast': bootstrap rejects with KafkaConnectionError naming the brokers", async () => {
    const closed = await laterBroker(9092);
    const topic = uniqueName('startup-fast');

    const boot_ = boot(kafkaModuleOptions(`127.0.0.1:${closed.port}`, topic, 'fail-fast'), true);

    await expect(boot_).rejects.toThrow(KafkaConnectionError);
    await expect(boot_).rejects.toThrow(
      `Could not connect to Kafka at 127.0.0.1:${closed.port} over PLAINTEXT`,
    );
  }, 60_000);

  it("Kafka, 'keep-retrying' (the default): the app starts reconnecting and consumes once Kafka comes", async () => {
    const kafka = await laterBroker(9092);
    const topic = uniqueName('startup-retry');
    await createTopics(topic, 1);

    const app = await boot(kafkaModuleOptions(`127.0.0.1:${kafka.port}`, topic), true);

    expect(status(app).state).toBe('reconnecting');
    expect(status(app).lastError).toContain(
      `Could not connect to Kafka at 127.0.0.1:${kafka.port}`,
    );

    await producePayments(topic, [{ reference: 'KAFKA-LATE-1' }]);
    await kafka.open();
    await waitFor('the payment handled', () => seen.includes('KAFKA-LATE-1'), 80_000);
    expect(status(app)).toMatchObject({ state: 'running', handled: 1 });
    expect(status(app).lastError).toBeUndefined();
  }, 120_000);
});
