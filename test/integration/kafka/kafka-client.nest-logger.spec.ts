import { ConsoleLogger, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaAuthenticationError } from '../../../lib/transports/kafka/errors/kafka-authentication.error';
import { MessageBusModule } from '../../../lib/message-bus.module';
import { KafkaClient } from '../../../lib/transports/kafka/kafka.client';
import { brokerVariable, uniqueName } from '../../support/broker-environment';
import { paymentMessage, saslCredentials } from './kafka-test-support';
import { CapturedLogger } from '../../support/captured-logger';

const WRONG_PASSWORD = 'Wr0ng-Pa55word-for-the-Nest-logger';

describe("kafkajs's own lines on a real broker", () => {
  afterEach(() => {
    Logger.overrideLogger(new ConsoleLogger());
  });

  it("reach the app's Nest logger with context KafkaJS, and never the password", async () => {
    const logger = new CapturedLogger();
    @Module({
      imports: [
        MessageBusModule.forRoot({
          kafka: {
            bootstrapServers: brokerVariable('KAFKA_SASL_BOOTSTRAP_SERVERS'),
            securityProtocol: 'SASL_PLAINTEXT',
            userName: saslCredentials().userName,
            password: WRONG_PASSWORD,
            // No logLevel and no logger: the defaults are under test.
          },
        }),
      ],
    })
    class WrongPasswordApp {}

    const app = await NestFactory.createApplicationContext(WrongPasswordApp, { logger });
    try {
      const error = await app
        .get(KafkaClient)
        .sendMessage(paymentMessage(), uniqueName('kafka-nest-logger'))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(KafkaAuthenticationError);
    } finally {
      await app.close();
    }

    const kafkajs = logger.lines.filter((line) => line.context === 'KafkaJS');
    expect(kafkajs.map((line) => line.level)).toContain('error');
    expect(kafkajs.some((line) => /SASL|authentication/i.test(line.text))).toBe(true);
    expect(JSON.stringify(logger.lines)).not.toContain(WRONG_PASSWORD);
  });
});
