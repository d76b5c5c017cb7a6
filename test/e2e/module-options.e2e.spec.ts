import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import {
  KafkaClient,
  MessageBusConfigurationError,
  MessageBusModule,
  MessageBusPublisher,
  SqsClient,
  type MessageBusModuleOptions,
} from 'nestjs-message-bus';
import { describe, expect, it } from 'vitest';

async function boot(options: MessageBusModuleOptions) {
  const moduleRef = await Test.createTestingModule({
    imports: [MessageBusModule.forRoot(options)],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('MessageBusModule options', () => {
  it('forRoot provides the clients and the publisher', async () => {
    const moduleRef = await boot({
      sqs: { queueUrl: 'http://127.0.0.1:9324/000000000000' },
      kafka: { bootstrapServers: '127.0.0.1:9092', securityProtocol: 'PLAINTEXT' },
      transport: 'sqs',
    });
    expect(moduleRef.get(SqsClient)).toBeInstanceOf(SqsClient);
    expect(moduleRef.get(KafkaClient)).toBeInstanceOf(KafkaClient);
    expect(moduleRef.get(MessageBusPublisher)).toBeInstanceOf(MessageBusPublisher);
    await moduleRef.close();
  });

  it('forRootAsync takes its options from ConfigService', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          ignoreEnvFile: true,
          load: [
            () => ({
              SQS_QUEUE_URL: 'http://127.0.0.1:9324/000000000000',
              AWS_REGION: 'eu-west-2',
            }),
          ],
        }),
        MessageBusModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (config: ConfigService): MessageBusModuleOptions => ({
            sqs: { queueUrl: config.getOrThrow('SQS_QUEUE_URL'), region: config.get('AWS_REGION') },
          }),
        }),
      ],
    }).compile();
    await moduleRef.init();
    const client = moduleRef.get(SqsClient);
    expect(client).toBeInstanceOf(SqsClient);
    // The unconfigured Kafka section answers with the setting to add, not a crash at start-up.
    await expect(moduleRef.get(KafkaClient).sendMessage({}, 'topic')).rejects.toThrow(
      /kafka is not configured/,
    );
    await moduleRef.close();
  });

  it('forRootAsync with useClass builds the options from a factory class', async () => {
    class BusOptionsFactory {
      create(): MessageBusModuleOptions {
        return { transport: 'memory' };
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [MessageBusModule.forRootAsync({ useClass: BusOptionsFactory })],
    }).compile();
    await moduleRef.init();
    expect(moduleRef.get(MessageBusPublisher)).toBeInstanceOf(MessageBusPublisher);
    await moduleRef.close();
  });

  it('isGlobal makes the providers injectable in every module', async () => {
    @Module({})
    class FeatureModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [MessageBusModule.forRoot({ transport: 'memory', isGlobal: true }), FeatureModule],
    }).compile();
    expect(moduleRef.select(FeatureModule).get(MessageBusPublisher)).toBeInstanceOf(
      MessageBusPublisher,
    );
    await moduleRef.close();
  });

  it('forRootAsync with isGlobal, imports and inject takes its extras without calling them unknown options', async () => {
    @Module({})
    class FeatureModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        MessageBusModule.forRootAsync({
          isGlobal: true,
          imports: [
            ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ BUS: 'memory' })] }),
          ],
          inject: [ConfigService],
          useFactory: (config: ConfigService): MessageBusModuleOptions => ({
            transport: config.getOrThrow('BUS'),
            unhandled: 'acknowledge',
          }),
        }),
        FeatureModule,
      ],
    }).compile();
    await moduleRef.init();
    expect(moduleRef.select(FeatureModule).get(MessageBusPublisher)).toBeInstanceOf(
      MessageBusPublisher,
    );
    await moduleRef.close();
  });

  it('forRootAsync without a factory, class or existing provider fails at once', () => {
    expect(() => MessageBusModule.forRootAsync({ inject: [ConfigService] })).toThrow(
      /forRootAsync\(\) needs exactly one of useFactory, useClass and useExisting/,
    );
  });

  it.each<[string, MessageBusModuleOptions, RegExp]>([
    ['no bus at all', {}, /transport is required: configure sqs or kafka/],
    [
      'an unknown transport',
      { transport: 'rabbit' as never },
      /transport must be one of sqs, kafka, memory/,
    ],
    [
      'sqs transport without sqs options',
      { transport: 'sqs' },
      /sqs must be an options object because transport is "sqs"/,
    ],
    [
      'a queue consumer without sqs options',
      {
        kafka: { bootstrapServers: 'x:1', securityProtocol: 'PLAINTEXT' },
        consumers: { sqs: [{ queue: 'q' }] },
      },
      /sqs must be an options object because consumers.sqs lists queues/,
    ],
    [
      'a blank queue name',
      { transport: 'memory', consumers: { sqs: [{ queue: ' ' }] } },
      /consumers\.sqs\[0\]\.queue is required/,
    ],
    [
      'a zero concurrency',
      { transport: 'memory', consumers: { sqs: [{ queue: 'q', concurrency: 0 }] } },
      /consumers\.sqs\[0\]\.concurrency must be a whole number from 1/,
    ],
    [
      'a fractional number of Kafka group members',
      { transport: 'memory', consumers: { kafka: [{ topic: 't', members: 1.5 }] } },
      /consumers\.kafka\[0\]\.members must be a whole number from 1 to 64 \(got 1\.5\)/,
    ],
    [
      'a long poll over 20 s',
      { transport: 'memory', consumers: { sqs: [{ queue: 'q', waitTimeSeconds: 21 }] } },
      /consumers\.sqs\[0\]\.waitTimeSeconds/,
    ],
    [
      'zero attempts',
      { transport: 'memory', consumers: { kafka: [{ topic: 't', retry: { maxAttempts: 0 } }] } },
      /consumers\.kafka\[0\]\.retry\.maxAttempts/,
    ],
    [
      'the same topic and group twice',
      { transport: 'memory', consumers: { kafka: [{ topic: 't' }, { topic: 't' }] } },
      /consumers\.kafka lists the same topic and groupId twice/,
    ],
    [
      'a queue that dead-letters to itself',
      { transport: 'memory', consumers: { sqs: [{ queue: 'q', deadLetterQueue: 'q' }] } },
      /consumers\.sqs\[0\]\.deadLetterQueue must differ from the source "q"/,
    ],
    [
      'a topic that dead-letters to itself',
      { transport: 'memory', consumers: { kafka: [{ topic: 't', deadLetterTopic: 't' }] } },
      /consumers\.kafka\[0\]\.deadLetterTopic must differ/,
    ],
    ['an SQS queueUrl that is no URL', { sqs: { queueUrl: 'not a url' } }, /sqs\.queueUrl/],
    [
      'a consumer: typo for consumers:',
      { transport: 'memory', consumer: { sqs: [{ queue: 'q' }] } } as MessageBusModuleOptions,
      /^Invalid message bus configuration: consumer is not an option \(did you mean consumers\?\)$/,
    ],
    [
      'a typo in the sqs section',
      { sqs: { queueUrl: 'http://127.0.0.1:9324/000000000000', regin: 'eu-west-1' } as never },
      /sqs\.regin is not an option \(did you mean region\?\)$/,
    ],
    [
      'a typo in the kafka section',
      { kafka: { bootstrapServers: 'x:1', securityProtocl: 'PLAINTEXT' } as never },
      /kafka\.securityProtocl is not an option \(did you mean securityProtocol\?\)$/,
    ],
    [
      'an unknown unhandled action',
      { transport: 'memory', unhandled: 'ignore' as never },
      /unhandled must be one of 'acknowledge', 'dead-letter' \(got "ignore"\)/,
    ],
    [
      'SASL without a user name',
      {
        kafka: {
          bootstrapServers: 'x:1',
          securityProtocol: 'SASL_PLAINTEXT',
          saslMechanism: 'PLAIN',
        },
      },
      /kafka\.userName/,
    ],
  ])('stops the app on %s, naming the setting', async (_case, options, message) => {
    const error = await boot(options).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MessageBusConfigurationError);
    expect((error as Error).message).toMatch(message);
  });
});
