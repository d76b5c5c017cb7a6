import {
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSSASLAuthenticationError,
} from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkaAuthenticationError } from '../../../../lib/transports/kafka/errors/kafka-authentication.error';
import { KafkaCommitError } from '../../../../lib/transports/kafka/errors/kafka-commit.error';
import { KafkaConnectionError } from '../../../../lib/transports/kafka/errors/kafka-connection.error';
import { KafkaConsumerError } from '../../../../lib/transports/kafka/errors/kafka-consumer.error';
import { KafkaSendError } from '../../../../lib/transports/kafka/errors/kafka-send.error';
import { MessageBusError } from '../../../../lib/errors/message-bus.error';
import {
  toKafkaCommitError,
  toKafkaConnectError,
  toKafkaConsumerError,
  toKafkaSendError,
  type KafkaErrorContext,
} from '../../../../lib/transports/kafka/kafka-error-mapping';

const PASSWORD = 'Sup3r-Secret-Pa55word';
const context: KafkaErrorContext = {
  brokers: ['127.0.0.1:9094'],
  securityProtocol: 'SASL_PLAINTEXT',
  saslMechanism: 'PLAIN',
  userName: 'bus',
  secrets: () => [PASSWORD],
};

const protocolError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError({
    message: `The broker said ${type}`,
    type,
    code: 1,
    retriable,
  } as unknown as string);

describe('kafka error mapping', () => {
  it('turns a refused login into KafkaAuthenticationError, whatever the call', () => {
    // Its declared constructor takes nothing; the real one takes the message.
    const SaslError = KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;
    const sasl = new SaslError(
      'SASL PLAIN authentication failed: Authentication failed: Invalid username or password',
    );
    for (const error of [
      toKafkaConnectError(sasl, context),
      toKafkaSendError(sasl, 'orders', 1, context),
      toKafkaConsumerError(sasl, 'orders', 'g', context),
    ]) {
      expect(error).toBeInstanceOf(KafkaAuthenticationError);
      expect(error).toBeInstanceOf(MessageBusError);
      expect(error).toMatchObject({
        name: 'KafkaAuthenticationError',
        brokers: ['127.0.0.1:9094'],
        securityProtocol: 'SASL_PLAINTEXT',
        saslMechanism: 'PLAIN',
        userName: 'bus',
      });
      expect(error.message).toContain('kafka.password');
      expect(error.cause).toBe(sasl);
    }
  });

  it('finds a connection failure under the retry wrapper', () => {
    const refused = new KafkaJSConnectionError(
      'Connection error: connect ECONNREFUSED 127.0.0.1:9099',
    );
    const wrapped = new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 100 });
    const error = toKafkaSendError(wrapped, 'orders', 2, context);
    expect(error).toBeInstanceOf(KafkaConnectionError);
    expect(error).toMatchObject({
      kafkaError: 'KafkaJSConnectionError',
      detail: expect.stringContaining('ECONNREFUSED'),
    });
    expect(error.message).toContain('kafka.bootstrapServers');
  });

  it('points at kafka.ssl when the TLS handshake failed', () => {
    const tls = new KafkaJSConnectionError('self-signed certificate in certificate chain');
    expect(toKafkaConnectError(tls, context).message).toContain('kafka.ssl');
  });

  it('reports a broker error of a send with its Kafka error type', () => {
    const error = toKafkaSendError(
      protocolError('TOPIC_AUTHORIZATION_FAILED', false),
      'orders',
      3,
      context,
    );
    expect(error).toBeInstanceOf(KafkaSendError);
    expect(error).toMatchObject({
      topic: 'orders',
      messageCount: 3,
      kafkaErrorType: 'TOPIC_AUTHORIZATION_FAILED',
      retriable: false,
    });
    expect(error.message).toContain('3 messages');
  });

  it('reports a refused commit with its position', () => {
    const error = toKafkaCommitError(
      protocolError('REBALANCE_IN_PROGRESS', false),
      { topic: 't', groupId: 'g', partition: 1, offset: '8' },
      context,
    );
    expect(error).toBeInstanceOf(KafkaCommitError);
    expect(error).toMatchObject({
      partition: 1,
      offset: '8',
      kafkaErrorType: 'REBALANCE_IN_PROGRESS',
    });
    expect(error.message).toContain('delivered again');
  });

  it('reports another consumer failure as KafkaConsumerError', () => {
    const error = toKafkaConsumerError(new Error('boom'), 't', 'g', context);
    expect(error).toBeInstanceOf(KafkaConsumerError);
    expect(error.message).toContain('group g');
  });

  it('never lets the password through, even if kafkajs echoed it', () => {
    const echo = new KafkaJSConnectionError(`weird failure ${PASSWORD}`);
    expect(toKafkaConnectError(echo, context).message).not.toContain(PASSWORD);
    expect(toKafkaSendError(new Error(PASSWORD), 't', 1, context).message).not.toContain(PASSWORD);
  });

  it('passes errors of this library through unchanged', () => {
    const own = new KafkaSendError({
      topic: 't',
      messageCount: 1,
      kafkaError: 'X',
      retriable: false,
    });
    expect(toKafkaSendError(own, 't', 1, context)).toBe(own);
  });
});
