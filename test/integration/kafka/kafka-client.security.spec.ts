import { afterAll, describe, expect, it } from 'vitest';
import { KafkaAuthenticationError } from '../../../lib/transports/kafka/errors/kafka-authentication.error';
import { KafkaConnectionError } from '../../../lib/transports/kafka/errors/kafka-connection.error';
import type { KafkaClientOptions } from '../../../lib/transports/kafka/kafka-client-options.interface';
import { KafkaClient } from '../../../lib/transports/kafka/kafka.client';
import { brokerVariable, uniqueName } from '../../support/broker-environment';
import {
  caCertificate,
  paymentMessage,
  recordingSink,
  saslCredentials,
} from './kafka-test-support';

const WRONG_PASSWORD = 'definitely-not-the-Pa55word';

describe('KafkaClient security protocols against Kafka', () => {
  const clients: KafkaClient[] = [];
  const open = (options: KafkaClientOptions): KafkaClient => {
    const client = new KafkaClient({ logLevel: 'nothing', ...options });
    clients.push(client);
    return client;
  };

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
  });

  /** Produces one envelope and reads it back in a fresh group: both directions authenticated. */
  async function roundTrip(client: KafkaClient): Promise<void> {
    const topic = uniqueName('kafka-secure');
    const message = paymentMessage();
    const sent = await client.sendMessage(message, topic, 'user-1');
    const received = await client.receiveMessage(topic, { timeoutMs: 15_000 });
    expect(received?.receiptHandle).toBe(`${topic}:${sent.partition}:${sent.offset}`);
    expect(received?.message?.serialize()).toBe(message.serialize());
    await client.commitOffset(topic, received!.receiptHandle);
  }

  it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const)(
    'produces and consumes over SASL_PLAINTEXT with %s',
    async (saslMechanism) => {
      await roundTrip(
        open({
          bootstrapServers: brokerVariable('KAFKA_SASL_BOOTSTRAP_SERVERS'),
          securityProtocol: 'SASL_PLAINTEXT',
          saslMechanism,
          ...saslCredentials(),
        }),
      );
    },
  );

  it('produces and consumes over SASL_SSL, trusting the private CA', async () => {
    await roundTrip(
      open({
        bootstrapServers: brokerVariable('KAFKA_SASL_SSL_BOOTSTRAP_SERVERS'),
        securityProtocol: 'SASL_SSL',
        saslMechanism: 'SCRAM-SHA-512',
        ssl: { ca: [caCertificate()] },
        ...saslCredentials(),
      }),
    );
  });

  it('takes SASL_SSL with PLAIN from the defaults, as the Python client', async () => {
    const client = open({
      bootstrapServers: brokerVariable('KAFKA_SASL_SSL_BOOTSTRAP_SERVERS'),
      ssl: { ca: [caCertificate()] },
      ...saslCredentials(),
    });
    expect(client.settings).toMatchObject({
      securityProtocol: 'SASL_SSL',
      sasl: { mechanism: 'PLAIN' },
    });
    await roundTrip(client);
  });

  it('rejects a wrong password at once with KafkaAuthenticationError, for sends and receives', async () => {
    const sink = recordingSink();
    const client = open({
      bootstrapServers: brokerVariable('KAFKA_SASL_BOOTSTRAP_SERVERS'),
      securityProtocol: 'SASL_PLAINTEXT',
      userName: saslCredentials().userName,
      password: WRONG_PASSWORD,
      logLevel: 'debug',
      logger: sink,
    });
    const started = Date.now();
    const sendError = await client
      .sendMessage(paymentMessage(), uniqueName('kafka-denied'))
      .catch((error: unknown) => error);
    const receiveError = await client
      .receiveMessage(uniqueName('kafka-denied'))
      .catch((error: unknown) => error);
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const error of [sendError, receiveError]) {
      expect(error).toBeInstanceOf(KafkaAuthenticationError);
      expect(error).toMatchObject({
        userName: 'bus',
        saslMechanism: 'PLAIN',
        securityProtocol: 'SASL_PLAINTEXT',
      });
      expect((error as Error).message).toContain('kafka.password');
      expect((error as Error).message).not.toContain(WRONG_PASSWORD);
    }
    // kafkajs logged at debug level throughout, and never the password.
    expect(sink.text()).toContain('SASL');
    expect(sink.text()).not.toContain(WRONG_PASSWORD);
  });

  it('never logs the right password either, even at debug level', async () => {
    const sink = recordingSink();
    const client = open({
      bootstrapServers: brokerVariable('KAFKA_SASL_BOOTSTRAP_SERVERS'),
      securityProtocol: 'SASL_PLAINTEXT',
      ...saslCredentials(),
      logLevel: 'debug',
      logger: sink,
    });
    await roundTrip(client);
    expect(sink.text()).toContain('SASL PLAIN authentication successful');
    expect(sink.text()).not.toContain(saslCredentials().password);
  });

  it('fails the TLS handshake with KafkaConnectionError pointing at kafka.ssl when the CA is not trusted', async () => {
    const client = open({
      bootstrapServers: brokerVariable('KAFKA_SASL_SSL_BOOTSTRAP_SERVERS'),
      securityProtocol: 'SASL_SSL',
      connectionTimeoutMs: 2_000,
      ...saslCredentials(),
    });
    const error = await client
      .sendMessage(paymentMessage(), uniqueName('kafka-untrusted'))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KafkaConnectionError);
    expect((error as Error).message).toContain('kafka.ssl');
  });
});
