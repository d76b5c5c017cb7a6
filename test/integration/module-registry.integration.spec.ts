import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  IsNonBlankString,
  KafkaClient,
  MessageBusMessage,
  MessageBusModule,
  MessageTypeRegistry,
  SqsClient,
} from 'nestjs-message-bus';
import { customEventWire } from '../support/custom-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerVariable, sqsEndpoint, uniqueName } from '../support/broker-environment';
import { receiveAll, TEST_LOG_LEVEL } from './kafka/kafka-test-support';
import { ACCOUNT_ID, DUMMY_CREDENTIALS, SERVICE_TOKEN } from './sqs/sqs-test-kit';

class CustomDto {
  @IsNonBlankString()
  reference!: string;
}

function customWire(reference: string) {
  return customEventWire(reference, SERVICE_TOKEN);
}

/** The clients a module injects send and read its `messageTypes`, on the real brokers. */
describe("the module's clients use the module's registry", () => {
  let app: INestApplicationContext;
  let registry: MessageTypeRegistry;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        MessageBusModule.forRoot({
          transport: 'sqs',
          sqs: {
            queueUrl: `${sqsEndpoint()}/${ACCOUNT_ID}`,
            region: 'eu-west-1',
            credentials: DUMMY_CREDENTIALS,
          },
          kafka: {
            bootstrapServers: brokerVariable('KAFKA_BOOTSTRAP_SERVERS'),
            securityProtocol: 'PLAINTEXT',
            logLevel: TEST_LOG_LEVEL,
          },
          messageTypes: [{ event: 'CUSTOM_EVENT', payload: CustomDto }],
        }),
      ],
    }).compile();
    app = await moduleRef.init();
    registry = app.get(MessageTypeRegistry);
  });

  afterAll(async () => {
    await app?.close();
  });

  function customMessage(reference: string) {
    return MessageBusMessage.create(
      {
        source: 'TEST_SERVICE',
        event: 'CUSTOM_EVENT',
        payload: { reference },
        serviceToken: SERVICE_TOKEN,
      },
      { registry },
    );
  }

  it('SqsClient sends a custom message and its wire object, and receives both parsed', async () => {
    const sqs = app.get(SqsClient);
    const queue = uniqueName('custom-types');
    await sqs.createQueue(queue);
    try {
      await sqs.sendMessage(customMessage('SQS-1'), queue);
      await sqs.sendMessage(customWire('SQS-2'), queue);

      const received = [];
      for (let tries = 0; received.length < 2 && tries < 10; tries++) {
        received.push(...(await sqs.receiveMessages(queue, { waitTimeSeconds: 1 })));
      }
      expect(received.map((entry) => entry.validationError)).toEqual([undefined, undefined]);
      const payloads = received.map((entry) => entry.message?.payload);
      for (const payload of payloads) expect(payload).toBeInstanceOf(CustomDto);
      expect(payloads.map((payload) => (payload as CustomDto).reference).sort()).toEqual([
        'SQS-1',
        'SQS-2',
      ]);
    } finally {
      await sqs.deleteQueue(queue);
    }
  });

  it('KafkaClient sends a custom message and its wire object, and receives both parsed', async () => {
    const kafka = app.get(KafkaClient);
    const topic = uniqueName('custom-types');
    await kafka.sendMessage(customMessage('KAFKA-1'), topic, 'k');
    await kafka.sendMessage(customWire('KAFKA-2'), topic, 'k');

    const received = await receiveAll(kafka, topic, 2, { timeoutMs: 30_000 });
    expect(received.map((entry) => entry.validationError)).toEqual([undefined, undefined]);
    const payloads = received.map((entry) => entry.message?.payload);
    for (const payload of payloads) expect(payload).toBeInstanceOf(CustomDto);
    expect(payloads.map((payload) => (payload as CustomDto).reference)).toEqual([
      'KAFKA-1',
      'KAFKA-2',
    ]);
  });
});
