import { inspect } from 'node:util';
import { Kafka } from 'kafkajs';
import { describe, expect, it, vi } from 'vitest';
import { KafkaClientClosedError } from '../../../../lib/transports/kafka/errors/kafka-client-closed.error';
import { KafkaInvalidArgumentError } from '../../../../lib/transports/kafka/errors/kafka-invalid-argument.error';
import { KafkaReceiptHandleError } from '../../../../lib/transports/kafka/errors/kafka-receipt-handle.error';
import { MessageBusConfigurationError } from '../../../../lib/errors/message-bus-configuration.error';
import { MessageValidationError } from '../../../../lib/errors/message-validation.error';
import { KafkaClient } from '../../../../lib/transports/kafka/kafka.client';

const PASSWORD = 'Sup3r-Secret-Pa55word';
/** Nothing listens here: a test that reached the broker would fail, not pass. */
const NOWHERE = '127.0.0.1:1';

function plaintextClient(): KafkaClient {
  return new KafkaClient({
    bootstrapServers: NOWHERE,
    securityProtocol: 'PLAINTEXT',
    logLevel: 'nothing',
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('KafkaClient without a broker', () => {
  it('checks its options at construction', () => {
    expect(
      () => new KafkaClient({ bootstrapServers: NOWHERE, securityProtocol: 'SASL_SSL' }),
    ).toThrow(MessageBusConfigurationError);
    expect(
      () => new KafkaClient({ bootstrapServers: NOWHERE, securityProtocol: 'SASL_SSL' }),
    ).toThrow(/kafka\.userName/);
  });

  it('exposes the kafkajs config per role and builds kafkajs clients from it', () => {
    const client = new KafkaClient({
      bootstrapServers: NOWHERE,
      securityProtocol: 'SASL_PLAINTEXT',
      saslMechanism: 'SCRAM-SHA-256',
      userName: 'bus',
      password: PASSWORD,
      producerId: 'p',
      consumerId: 'c',
    });
    expect(client.kafkaConfig('producer')).toMatchObject({
      clientId: 'p',
      brokers: [NOWHERE],
      ssl: false,
    });
    expect(client.kafkaConfig().clientId).toBe('c');
    expect(client.kafkaConfig().sasl).toEqual({
      mechanism: 'scram-sha-256',
      username: 'bus',
      password: PASSWORD,
    });
    expect(typeof client.kafkaConfig().logCreator).toBe('function');
    expect(client.createKafka()).toBeInstanceOf(Kafka);
  });

  it('keeps the password out of inspection and JSON', () => {
    const client = new KafkaClient({
      bootstrapServers: NOWHERE,
      securityProtocol: 'SASL_SSL',
      userName: 'bus',
      password: PASSWORD,
    });
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(PASSWORD);
    expect(JSON.stringify(client.settings)).not.toContain(PASSWORD);
  });

  it('refuses an invalid envelope before connecting', async () => {
    const client = plaintextClient();
    const producer = vi.spyOn(client, 'producer');
    const error = await rejection(
      client.sendMessage({ meta_data: { source: 'X' }, payload: {} }, 'orders'),
    );
    expect(error).toBeInstanceOf(MessageValidationError);
    expect(producer).not.toHaveBeenCalled();
  });

  it('names the batch entry of an invalid envelope', async () => {
    const client = plaintextClient();
    const producer = vi.spyOn(client, 'producer');
    const error = (await rejection(
      client.sendMessages([{ message: { a: 1 } }, { message: { payload: {} } }], 'orders'),
    )) as MessageValidationError;
    expect(error).toBeInstanceOf(MessageValidationError);
    expect(error.message).toContain('entries[1]');
    expect(error.fields.every((field) => field.startsWith('entries[1].message.'))).toBe(true);
    expect(producer).not.toHaveBeenCalled();
  });

  it('sends an empty batch as nothing', async () => {
    const client = plaintextClient();
    const producer = vi.spyOn(client, 'producer');
    expect(await client.sendMessages([], 'orders')).toEqual([]);
    expect(producer).not.toHaveBeenCalled();
  });

  it('refuses bad arguments before any I/O', async () => {
    const client = plaintextClient();
    await expect(client.sendMessage({ a: 1 }, 'bad topic')).rejects.toBeInstanceOf(
      KafkaInvalidArgumentError,
    );
    await expect(
      client.sendMessage({ a: 1 }, 'orders', 42 as unknown as string),
    ).rejects.toMatchObject({ argument: 'key' });
    await expect(client.receiveMessage('orders', { timeoutMs: -1 })).rejects.toMatchObject({
      argument: 'options.timeoutMs',
    });
    await expect(client.receiveMessage('orders', { groupId: ' ' })).rejects.toMatchObject({
      argument: 'options.groupId',
    });
  });

  it('refuses a malformed receipt handle, one of another topic, and one it never handed out', async () => {
    const client = plaintextClient();
    expect(await rejection(client.commitOffset('orders', 'orders-0-1'))).toMatchObject({
      problem: 'malformed',
    });
    expect(await rejection(client.commitOffset('orders', 'refunds:0:1'))).toMatchObject({
      problem: 'topic-mismatch',
    });
    const unknown = await rejection(client.commitOffset('orders', 'orders:0:1'));
    expect(unknown).toBeInstanceOf(KafkaReceiptHandleError);
    expect(unknown).toMatchObject({ problem: 'not-delivered' });
  });

  it('closes twice without complaint, then refuses to work', async () => {
    const client = plaintextClient();
    await Promise.all([client.close(), client.close()]);
    await client.close();
    await expect(client.sendMessage({ a: 1 }, 'orders')).rejects.toBeInstanceOf(
      KafkaClientClosedError,
    );
    await expect(client.receiveMessage('orders')).rejects.toBeInstanceOf(KafkaClientClosedError);
    await expect(client.commitOffset('orders', 'orders:0:1')).rejects.toBeInstanceOf(
      KafkaClientClosedError,
    );
    await expect(client.producer()).rejects.toBeInstanceOf(KafkaClientClosedError);
  });
});
