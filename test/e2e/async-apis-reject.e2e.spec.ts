import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  KafkaClient,
  KafkaInvalidArgumentError,
  MessageBusClientProxy,
  MessageBusConfigurationError,
  MessageBusPublisher,
  MessageValidationError,
  SqsClient,
  SqsInvalidArgumentError,
} from 'nestjs-message-bus';
import { MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { lastValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paymentMessage } from './fixtures/messages';

/** `.catch()` must see every failure of a promise-returning API: none may throw before returning. */
describe('async APIs reject, never throw synchronously', () => {
  let app: INestApplicationContext;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [MessageBusTestingModule.forRoot()],
    }).compile();
    app = await moduleRef.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Calls once: the call itself must not throw, and what it returns must reject with `type`. */
  async function expectRejection(
    call: () => Promise<unknown>,
    type: new (...args: never[]) => Error,
  ) {
    let returned: Promise<unknown> | undefined;
    expect(() => {
      returned = call();
    }).not.toThrow();
    expect(returned).toBeInstanceOf(Promise);
    await expect(returned).rejects.toThrow(type);
  }

  it.each(['', '   ', undefined as unknown as string])(
    'MessageBusPublisher.publish rejects the destination %j',
    async (destination) => {
      const publisher = app.get(MessageBusPublisher);
      await expectRejection(
        () => publisher.publish(paymentMessage(), destination),
        MessageBusConfigurationError,
      );
    },
  );

  it('an unconfigured SqsClient rejects from its async methods and throws from its synchronous one', async () => {
    const sqs = app.get(SqsClient);
    await expectRejection(
      () => sqs.sendMessage(paymentMessage(), 'payments'),
      MessageBusConfigurationError,
    );
    await expectRejection(() => sqs.receiveMessage('payments'), MessageBusConfigurationError);
    await expectRejection(
      () => sqs.deleteMessage('payments', 'handle'),
      MessageBusConfigurationError,
    );
    await expectRejection(() => sqs.createQueue('payments'), MessageBusConfigurationError);
    expect(() => sqs.resolveQueueUrl('payments')).toThrow(/sqs is not configured/);
    await expect(sqs.close()).resolves.toBeUndefined();
  });

  it('an unconfigured KafkaClient rejects from its async methods and throws from its synchronous ones', async () => {
    const kafka = app.get(KafkaClient);
    await expectRejection(
      () => kafka.sendMessage(paymentMessage(), 'payments'),
      MessageBusConfigurationError,
    );
    await expectRejection(() => kafka.receiveMessage('payments'), MessageBusConfigurationError);
    await expectRejection(
      () => kafka.commitOffset('payments', 'payments:0:1'),
      MessageBusConfigurationError,
    );
    await expectRejection(() => kafka.producer(), MessageBusConfigurationError);
    expect(() => kafka.kafkaConfig()).toThrow(/kafka is not configured/);
    expect(() => kafka.createKafka()).toThrow(/kafka is not configured/);
  });

  it('a configured SqsClient rejects bad arguments', async () => {
    const sqs = new SqsClient({
      queueUrl: 'http://127.0.0.1:9324/000000000000',
      region: 'eu-west-1',
    });
    try {
      await expectRejection(
        () => sqs.sendMessage(paymentMessage(), 'bad name'),
        SqsInvalidArgumentError,
      );
      await expectRejection(
        () => sqs.sendMessage(paymentMessage(), 'payments', { delaySeconds: -1 }),
        SqsInvalidArgumentError,
      );
      await expectRejection(
        () => sqs.sendMessages('nope' as never, 'payments'),
        SqsInvalidArgumentError,
      );
      await expectRejection(() => sqs.deleteMessage('payments', ''), SqsInvalidArgumentError);
      await expectRejection(
        () => sqs.changeMessageVisibility('payments', 'handle', 1.5),
        SqsInvalidArgumentError,
      );
      await expectRejection(
        () => sqs.receiveMessages('payments', { maxMessages: 11 }),
        SqsInvalidArgumentError,
      );
      await expectRejection(
        () => sqs.sendMessage({ meta_data: {} }, 'payments'),
        MessageValidationError,
      );
    } finally {
      await sqs.close();
    }
  });

  it('a configured KafkaClient rejects bad arguments', async () => {
    const kafka = new KafkaClient({
      bootstrapServers: '127.0.0.1:9092',
      securityProtocol: 'PLAINTEXT',
    });
    try {
      await expectRejection(
        () => kafka.sendMessage(paymentMessage(), 'bad topic'),
        KafkaInvalidArgumentError,
      );
      await expectRejection(
        () => kafka.sendMessage(paymentMessage(), 'payments', 42 as never),
        KafkaInvalidArgumentError,
      );
      await expectRejection(
        () => kafka.sendMessages('nope' as never, 'payments'),
        KafkaInvalidArgumentError,
      );
      await expectRejection(
        () => kafka.receiveMessage('payments', { timeoutMs: -1 }),
        KafkaInvalidArgumentError,
      );
      await expectRejection(
        () => kafka.sendMessage({ payload: {} }, 'payments'),
        MessageValidationError,
      );
    } finally {
      await kafka.close();
    }
  });

  it('MessageBusClientProxy.emit errors its Observable for a bad message instead of throwing', async () => {
    const client = app.get(MessageBusClientProxy);
    let emitted: ReturnType<MessageBusClientProxy['emit']> | undefined;
    expect(() => {
      emitted = client.emit('payments', { meta_data: {}, payload: {} });
    }).not.toThrow();
    await expect(lastValueFrom(emitted!)).rejects.toThrow(MessageValidationError);
    await expect(lastValueFrom(client.emit('', paymentMessage()))).rejects.toThrow(
      MessageBusConfigurationError,
    );
    await expect(client.connect()).resolves.toBeUndefined();
  });
});
