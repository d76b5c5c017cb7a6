import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaReceiptHandleError } from '../../../lib/transports/kafka/errors/kafka-receipt-handle.error';
import { MessageBusMessage, MessageValidationError } from '../../../lib/index';
import { KafkaClient } from '../../../lib/transports/kafka/kafka.client';
import { uniqueName } from '../../support/broker-environment';
import { createTopic, paymentMessage, plaintextClient, receiveAll } from './kafka-test-support';

describe('KafkaClient against Kafka (PLAINTEXT)', () => {
  let client: KafkaClient;
  const others: KafkaClient[] = [];

  beforeAll(() => {
    client = plaintextClient();
  });

  afterAll(async () => {
    await Promise.all([client?.close(), ...others.map((other) => other.close())]);
  });

  it('sends a MessageBusMessage, receives it validated and commits it', async () => {
    const topic = uniqueName('kafka-round-trip');
    await createTopic(client, topic, 1);
    const sent = paymentMessage();
    const result = await client.sendMessage(sent, topic, 'user-123');
    expect(result).toEqual({ topic, partition: 0, offset: '0' });

    const received = await client.receiveMessage(topic, { timeoutMs: 10_000 });
    expect(received).not.toBeNull();
    expect(received).toMatchObject({
      receiptHandle: `${topic}:0:0`,
      topic,
      partition: 0,
      offset: '0',
      groupId: `${topic}_consumer_group`,
      key: 'user-123',
      headers: {},
    });
    expect(received?.validationError).toBeUndefined();
    expect(received?.message).toBeInstanceOf(MessageBusMessage);
    expect(received?.message?.serialize()).toBe(sent.serialize());
    expect(received?.rawValue?.toString('utf8')).toBe(sent.serialize());
    expect(received?.body).toEqual(JSON.parse(sent.serialize()));

    await client.commitOffset(topic, received!.receiptHandle);
    const admin = client.createKafka('admin').admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchOffsets({
        groupId: `${topic}_consumer_group`,
        topics: [topic],
      });
      expect(offsets[0].partitions).toEqual([
        expect.objectContaining({ partition: 0, offset: '1' }),
      ]);
    } finally {
      await admin.disconnect();
    }
  });

  it('routes every message of a key to one partition', async () => {
    const topic = uniqueName('kafka-keys');
    await createTopic(client, topic, 6);
    const results = [];
    for (let i = 0; i < 5; i += 1)
      results.push(await client.sendMessage(paymentMessage(), topic, 'user-123'));
    const partitions = new Set(results.map((result) => result.partition));
    expect(partitions.size).toBe(1);
    expect(results.map((result) => result.offset)).toEqual(['0', '1', '2', '3', '4']);

    // Twenty other keys spread over more than one partition, so the key is what decides.
    const spread = await client.sendMessages(
      Array.from({ length: 20 }, (_, index) => ({
        message: paymentMessage(),
        key: `customer-${index}`,
      })),
      topic,
    );
    expect(new Set(spread.map((result) => result.partition)).size).toBeGreaterThan(1);
  });

  it('sends a batch in one call and reports where each message went', async () => {
    const topic = uniqueName('kafka-batch');
    await createTopic(client, topic, 3);
    const messages = Array.from({ length: 12 }, () => paymentMessage());
    const results = await client.sendMessages(
      messages.map((message, index) => ({ message, key: index % 2 === 0 ? 'even' : undefined })),
      topic,
    );
    expect(results).toHaveLength(12);

    const received = await receiveAll(client, topic, 12);
    expect(received).toHaveLength(12);
    // Every result names exactly the partition and offset its message was read back from.
    const byPosition = new Map(
      received.map((message) => [
        `${message.partition}:${message.offset}`,
        message.rawValue?.toString(),
      ]),
    );
    results.forEach((result, index) => {
      expect(byPosition.get(`${result.partition}:${result.offset}`)).toBe(
        messages[index].serialize(),
      );
    });
  });

  it('returns null within timeoutMs when the topic is empty', async () => {
    const topic = uniqueName('kafka-empty');
    await createTopic(client, topic, 1);
    // The first call also joins the group.
    expect(await client.receiveMessage(topic, { timeoutMs: 300 })).toBeNull();
    const started = Date.now();
    expect(await client.receiveMessage(topic, { timeoutMs: 700 })).toBeNull();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(650);
    expect(elapsed).toBeLessThan(1_500);
  });

  it('starts a new group at the earliest offset', async () => {
    const topic = uniqueName('kafka-earliest');
    await createTopic(client, topic, 1);
    const first = paymentMessage();
    await client.sendMessage(first, topic);
    await client.sendMessage(paymentMessage(), topic);
    const received = await client.receiveMessage(topic, {
      groupId: uniqueName('late-group'),
      timeoutMs: 10_000,
    });
    expect(received?.offset).toBe('0');
    expect(received?.message?.serialize()).toBe(first.serialize());
  });

  it('delivers an uncommitted message again to the next client of the group, and a committed one not', async () => {
    const topic = uniqueName('kafka-redelivery');
    const groupId = uniqueName('group');
    await createTopic(client, topic, 1);
    const [a, b] = [paymentMessage(), paymentMessage()];
    await client.sendMessages([{ message: a }, { message: b }], topic);

    const reader1 = plaintextClient();
    const first = await reader1.receiveMessage(topic, { groupId, timeoutMs: 10_000 });
    expect(first?.message?.serialize()).toBe(a.serialize());
    await reader1.close();

    const reader2 = plaintextClient();
    const again = await reader2.receiveMessage(topic, { groupId, timeoutMs: 10_000 });
    expect(again?.receiptHandle).toBe(first?.receiptHandle);
    expect(again?.message?.serialize()).toBe(a.serialize());
    await reader2.commitOffset(topic, again!.receiptHandle, groupId);
    await reader2.close();

    const reader3 = plaintextClient();
    others.push(reader3);
    const next = await reader3.receiveMessage(topic, { groupId, timeoutMs: 10_000 });
    expect(next?.offset).toBe('1');
    expect(next?.message?.serialize()).toBe(b.serialize());
  });

  it('delivers a handed-out, uncommitted message again after a rebalance, and refuses its stale handle', async () => {
    const topic = uniqueName('kafka-rebalance');
    const groupId = uniqueName('group');
    await createTopic(client, topic, 1);
    const [m0] = [paymentMessage(), paymentMessage()];
    await client.sendMessages([{ message: m0 }, { message: paymentMessage() }], topic);
    const quick = { heartbeatIntervalMs: 300, sessionTimeoutMs: 6_000 };
    const [a, b] = [plaintextClient(quick), plaintextClient(quick)];
    others.push(a, b);

    const first = await a.receiveMessage(topic, { groupId, timeoutMs: 10_000 });
    expect(first?.offset).toBe('0');
    // B joining makes the group rebalance; B's first call returns once the group is settled.
    let again = await b.receiveMessage(topic, { groupId, timeoutMs: 500 });
    await expect(a.commitOffset(topic, first!.receiptHandle, groupId)).rejects.toMatchObject({
      problem: 'not-delivered',
    });
    // Whoever owns the partition now starts again at the committed offset: none, so m0.
    const deadline = Date.now() + 10_000;
    while (!again && Date.now() < deadline) {
      again =
        (await a.receiveMessage(topic, { groupId, timeoutMs: 250 })) ??
        (await b.receiveMessage(topic, { groupId, timeoutMs: 250 }));
    }
    expect(again?.offset).toBe('0');
    expect(again?.message?.serialize()).toBe(m0.serialize());
  });

  it('commits as it hands out with autoCommit', async () => {
    const topic = uniqueName('kafka-auto-commit');
    const groupId = uniqueName('group');
    await createTopic(client, topic, 1);
    await client.sendMessages(
      [{ message: paymentMessage() }, { message: paymentMessage() }],
      topic,
    );
    const reader1 = plaintextClient();
    expect(
      (await reader1.receiveMessage(topic, { groupId, autoCommit: true, timeoutMs: 10_000 }))
        ?.offset,
    ).toBe('0');
    await reader1.close();
    const reader2 = plaintextClient();
    others.push(reader2);
    expect((await reader2.receiveMessage(topic, { groupId, timeoutMs: 10_000 }))?.offset).toBe('1');
  });

  it('reads past a full receive buffer without skipping a message', async () => {
    const topic = uniqueName('kafka-buffer');
    await createTopic(client, topic, 2);
    const small = plaintextClient({ receiveBufferSize: 3, maxWaitTimeMs: 100 });
    others.push(small);
    const sent = await small.sendMessages(
      Array.from({ length: 25 }, (_, index) => ({ message: { n: index }, key: `k${index % 4}` })),
      topic,
    );
    // Every call gets a message, promptly: a refill of the buffer must wake a waiting receive.
    const started = Date.now();
    const received = [];
    for (let i = 0; i < 25; i += 1)
      received.push(await small.receiveMessage(topic, { timeoutMs: 5_000 }));
    expect(received.every((message) => message !== null)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(received.map((message) => `${message!.partition}:${message!.offset}`).sort()).toEqual(
      sent.map((result) => `${result.partition}:${result.offset}`).sort(),
    );
    expect(await small.receiveMessage(topic, { timeoutMs: 300 })).toBeNull();
  });

  it('refuses an invalid envelope before sending it', async () => {
    const topic = uniqueName('kafka-invalid');
    await createTopic(client, topic, 1);
    const invalid = JSON.parse(paymentMessage().serialize()) as {
      payload: Record<string, unknown>;
    };
    invalid.payload.currency = '';
    await expect(client.sendMessage(invalid, topic)).rejects.toBeInstanceOf(MessageValidationError);
    expect(await client.receiveMessage(topic, { timeoutMs: 500 })).toBeNull();
  });

  it('sends a valid plain envelope as its canonical text, and any other object as JSON', async () => {
    const topic = uniqueName('kafka-plain');
    await createTopic(client, topic, 1);
    const message = paymentMessage();
    await client.sendMessage(JSON.parse(message.serialize()) as Record<string, unknown>, topic);
    await client.sendMessage({ hello: 'wörld' }, topic);
    const [envelope, other] = await receiveAll(client, topic, 2);
    expect(envelope.rawValue?.toString()).toBe(message.serialize());
    expect(other.rawValue?.toString()).toBe('{"hello": "w\\u00f6rld"}');
    expect(other.body).toEqual({ hello: 'wörld' });
    expect(other.message).toBeUndefined();
    expect(other.validationError).toBeUndefined();
  });

  it('hands out an invalid envelope someone else wrote with its validation error', async () => {
    const topic = uniqueName('kafka-foreign');
    await createTopic(client, topic, 1);
    const producer = await client.producer();
    await producer.send({
      topic,
      messages: [{ value: '{"meta_data": {"source": "X"}, "payload": {}}' }, { value: 'not json' }],
    });
    const [invalid, text] = await receiveAll(client, topic, 2);
    expect(invalid.message).toBeUndefined();
    expect(invalid.validationError).toBeInstanceOf(MessageValidationError);
    expect(text.body).toBe('not json');
  });

  it('refuses a malformed receipt handle, and one this client never handed out', async () => {
    const topic = uniqueName('kafka-handles');
    await createTopic(client, topic, 1);
    await client.sendMessage(paymentMessage(), topic);
    const received = await client.receiveMessage(topic, { timeoutMs: 10_000 });
    expect(received).not.toBeNull();
    await expect(client.commitOffset(topic, 'not-a-handle')).rejects.toMatchObject({
      name: 'KafkaReceiptHandleError',
      problem: 'malformed',
    });
    await expect(client.commitOffset(topic, `${topic}:0:5`)).rejects.toMatchObject({
      problem: 'not-delivered',
    });
    await expect(client.commitOffset(topic, `${topic}:0:x`)).rejects.toBeInstanceOf(
      KafkaReceiptHandleError,
    );
    await client.commitOffset(topic, received!.receiptHandle);
  });
});
