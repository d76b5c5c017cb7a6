import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageBusMessage } from '../../../lib/index';
import { KafkaClient } from '../../../lib/transports/kafka/kafka.client';
import { uniqueName } from '../../support/broker-environment';
import {
  assertKcatInstalled,
  createTopic,
  kcat,
  paymentMessage,
  plaintextClient,
} from './kafka-test-support';

/**
 * The wire format the Python client writes (`json.dumps` defaults: ", " and ": " separators,
 * non-ASCII escaped), typed out by hand rather than produced by our own serializer.
 */
const PYTHON_WIRE =
  '{"meta_data": {"source": "BANKING_SERVICE", "created_at": "2021-01-01T00:00:00Z", "token": "your.jwt.token", ' +
  '"idempotency_key": "key-123", "instruction_type": "PAYMENT"}, "payload": {"external_reference": "P123", ' +
  '"payer_name": "Jos\\u00e9 M\\u00fcller", "currency": "EUR", "value": "100.00", "source": "BANK", "reference": "REF123", ' +
  '"direction": "INBOUND", "bank_account_number": "GB123"}}';

describe('KafkaClient and kcat on the same topic', () => {
  let client: KafkaClient;

  beforeAll(async () => {
    await assertKcatInstalled();
    client = plaintextClient();
  });

  afterAll(async () => {
    await client?.close();
  });

  it('receives and validates a message kcat produced in the wire format', async () => {
    const topic = uniqueName('kafka-kcat-in');
    await createTopic(client, topic, 1);
    await kcat(['-P', '-t', topic, '-K', '\t'], `user-9\t${PYTHON_WIRE}\n`);

    const received = await client.receiveMessage(topic, { timeoutMs: 10_000 });
    expect(received?.validationError).toBeUndefined();
    expect(received?.key).toBe('user-9');
    expect(received?.message).toBeInstanceOf(MessageBusMessage);
    expect(received?.message?.type).toBe('PAYMENT');
    expect(received?.message?.payload).toMatchObject({
      payer_name: 'José Müller',
      currency: 'EUR',
    });
    expect(received?.rawValue?.toString('utf8')).toBe(PYTHON_WIRE);
    // Our own serialisation of it is the very text the Python client wrote.
    expect(received?.message?.serialize()).toBe(PYTHON_WIRE);
    await client.commitOffset(topic, received!.receiptHandle);
  });

  it('writes what kcat reads back as the exact wire JSON and key', async () => {
    const topic = uniqueName('kafka-kcat-out');
    await createTopic(client, topic, 1);
    const message = paymentMessage();
    const sent = await client.sendMessage(message, topic, 'user-7');

    const value = await kcat([
      '-C',
      '-t',
      topic,
      '-p',
      String(sent.partition),
      '-o',
      sent.offset,
      '-c',
      '1',
      '-e',
      '-f',
      '%s',
    ]);
    expect(value.equals(Buffer.from(message.serialize(), 'utf8'))).toBe(true);
    const key = await kcat([
      '-C',
      '-t',
      topic,
      '-p',
      String(sent.partition),
      '-o',
      sent.offset,
      '-c',
      '1',
      '-e',
      '-f',
      '%k',
    ]);
    expect(key.toString('utf8')).toBe('user-7');
  });
});
