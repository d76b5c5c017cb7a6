import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../support/broker-environment';
import { MessageValidationError } from '../../../lib/errors/message-validation.error';
import { SqsBatchError } from '../../../lib/transports/sqs/errors/sqs-batch.error';
import { SqsInvalidArgumentError } from '../../../lib/transports/sqs/errors/sqs-invalid-argument.error';
import { SqsQueueDoesNotExistError } from '../../../lib/transports/sqs/errors/sqs-queue-does-not-exist.error';
import { MessageBusMessage } from '../../../lib/message/message-bus-message';
import { SQS_CONSUMER_RECEIVE_ATTRIBUTES } from '../../../lib/transports/sqs/consumer/sqs-consumer.constants';
import type { SqsReceivedMessage } from '../../../lib/transports/sqs/sqs-received-message.interface';
import type { SqsClient } from '../../../lib/transports/sqs/sqs.client';
import {
  boto3Peer,
  integrationClient,
  paymentMessage,
  queueDepth,
  SERVICE_TOKEN,
} from './sqs-test-kit';

let client: SqsClient;
const createdQueues: string[] = [];

/** A fresh queue for one test, deleted after the suite. */
async function newQueue(prefix: string, attributes: Record<string, string> = {}): Promise<string> {
  const name = uniqueName(prefix) + (attributes.FifoQueue === 'true' ? '.fifo' : '');
  await client.createQueue(name, attributes);
  createdQueues.push(name);
  return name;
}

/** Receives until `count` messages arrived or `timeoutMs` passed. */
async function receiveAtLeast(
  queue: string,
  count: number,
  timeoutMs = 30_000,
): Promise<SqsReceivedMessage[]> {
  const received: SqsReceivedMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  while (received.length < count && Date.now() < deadline) {
    received.push(
      ...(await client.receiveMessages(queue, { maxMessages: 10, waitTimeSeconds: 2 })),
    );
  }
  return received;
}

beforeAll(() => {
  client = integrationClient();
});

afterAll(async () => {
  for (const queue of createdQueues) {
    await client.deleteQueue(queue).catch(() => undefined);
  }
  await client.close();
});

describe('SqsClient against a real SQS emulator', () => {
  it('sends, receives and deletes a MessageBusMessage', async () => {
    const queue = await newQueue('sqs-roundtrip');
    const message = paymentMessage('P-ROUND');
    const sentAt = Date.now();

    const messageId = await client.sendMessage(message, queue, {
      messageAttributes: { tenant: 'acme' },
    });
    const received = await client.receiveMessage(queue, { waitTimeSeconds: 5 });

    expect(received).not.toBeNull();
    expect(received?.messageId).toBe(messageId);
    expect(received?.rawBody).toBe(message.serialize());
    expect(received?.body).toEqual(JSON.parse(JSON.stringify(message)));
    expect(received?.message).toBeInstanceOf(MessageBusMessage);
    expect(received?.message?.serialize()).toBe(message.serialize());
    expect(received?.validationError).toBeUndefined();
    expect(received?.receiveCount).toBe(1);
    expect(received?.attributes.ApproximateReceiveCount).toBe('1');
    expect(Number(received?.attributes.SentTimestamp)).toBeGreaterThanOrEqual(sentAt - 5_000);
    expect(received?.messageAttributes).toEqual({
      tenant: { dataType: 'String', stringValue: 'acme' },
    });

    await client.deleteMessage(queue, received!.receiptHandle);
    expect(await queueDepth(client, queue)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('asks SQS for the named attributes only, as the consumer runtime does', async () => {
    const queue = await newQueue('sqs-attribute-names');
    await client.sendMessage(paymentMessage('P-ATTR'), queue, {
      messageAttributes: { tenant: 'acme', traceparent: '00-abc-def-01' },
    });
    const received = await client.receiveMessage(queue, {
      waitTimeSeconds: 5,
      attributeNames: SQS_CONSUMER_RECEIVE_ATTRIBUTES,
    });
    // The consumer's constant: the attempt (FIFO fields only on FIFO queues), every message attribute.
    expect(received?.attributes).toEqual({ ApproximateReceiveCount: '1' });
    expect(received?.receiveCount).toBe(1);
    expect(Object.keys(received?.messageAttributes ?? {}).sort()).toEqual([
      'tenant',
      'traceparent',
    ]);
    await client.changeMessageVisibility(queue, received!.receiptHandle, 0);

    const narrowed = await client.receiveMessage(queue, {
      waitTimeSeconds: 5,
      attributeNames: { system: ['SentTimestamp'], message: ['traceparent'] },
    });
    expect(Object.keys(narrowed?.attributes ?? {})).toEqual(['SentTimestamp']);
    expect(narrowed?.receiveCount).toBe(1);
    expect(narrowed?.messageAttributes).toEqual({
      traceparent: { dataType: 'String', stringValue: '00-abc-def-01' },
    });
  });

  it('sends a plain object as JSON, and receives it without a message', async () => {
    const queue = await newQueue('sqs-plain');
    await client.sendMessage({ kind: 'ping', count: 2 }, queue);
    const received = await client.receiveMessage(queue, { waitTimeSeconds: 5 });
    expect(received?.rawBody).toBe('{"kind": "ping", "count": 2}');
    expect(received?.body).toEqual({ kind: 'ping', count: 2 });
    expect(received?.message).toBeUndefined();
    expect(received?.validationError).toBeUndefined();
  });

  it('rejects an invalid envelope before sending: the queue stays empty', async () => {
    const queue = await newQueue('sqs-invalid');
    const invalid = JSON.parse(JSON.stringify(paymentMessage())) as {
      payload: Record<string, unknown>;
    };
    delete invalid.payload.currency;

    const error = await client.sendMessage(invalid, queue).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MessageValidationError);
    expect((error as MessageValidationError).fields).toEqual(['payload.currency']);
    expect((error as Error).message).not.toContain(SERVICE_TOKEN);
    expect(await client.receiveMessage(queue, { waitTimeSeconds: 1 })).toBeNull();
    expect(await queueDepth(client, queue)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('returns an invalid envelope another service sent, with its validation error', async () => {
    const queue = await newQueue('sqs-bad-inbound');
    const invalid = JSON.parse(JSON.stringify(paymentMessage())) as {
      payload: Record<string, unknown>;
    };
    invalid.payload.direction = 'SIDEWAYS';
    // This client refuses to send it, so another service's bug is played by boto3.
    await boto3Peer('send-raw', client.resolveQueueUrl(queue), JSON.stringify(invalid));

    const received = await client.receiveMessage(queue, { waitTimeSeconds: 5 });

    expect(received?.message).toBeUndefined();
    expect(received?.validationError).toBeInstanceOf(MessageValidationError);
    expect(received?.validationError?.fields).toEqual(['payload.direction']);
    expect(received?.body).toEqual(invalid);
    await client.deleteMessage(queue, received!.receiptHandle);
  });

  it('sends a batch of 25 and deletes them in batches, counting every one', async () => {
    const queue = await newQueue('sqs-batch');
    const messages = Array.from({ length: 25 }, (_, index) => paymentMessage(`P-${index}`));

    const sent = await client.sendMessages(messages, queue);
    expect(sent.failed).toEqual([]);
    expect(sent.successful.map((entry) => entry.index)).toEqual(messages.map((_, index) => index));
    expect(new Set(sent.successful.map((entry) => entry.messageId)).size).toBe(25);

    const received = await receiveAtLeast(queue, 25);
    expect(received).toHaveLength(25);
    expect(received.every((entry) => entry.message instanceof MessageBusMessage)).toBe(true);
    expect(new Set(received.map((entry) => entry.message?.meta_data.idempotency_key))).toEqual(
      new Set(messages.map((message) => message.meta_data.idempotency_key)),
    );

    const deleted = await client.deleteMessages(
      queue,
      received.map((entry) => entry.receiptHandle),
    );
    expect(deleted.successful).toHaveLength(25);
    expect(deleted.failed).toEqual([]);
    expect(await queueDepth(client, queue)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('reports the entries of a batched delete that SQS refused, by index', async () => {
    const queue = await newQueue('sqs-batch-fail');
    await client.sendMessages([{ n: 1 }, { n: 2 }], queue);
    const received = await receiveAtLeast(queue, 2);
    expect(received).toHaveLength(2);

    const error = await client
      .deleteMessages(queue, [
        received[0].receiptHandle,
        'not-a-receipt-handle',
        received[1].receiptHandle,
      ])
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SqsBatchError);
    const batch = error as SqsBatchError;
    expect(batch.successful.map((entry) => entry.index)).toEqual([0, 2]);
    expect(batch.failed).toEqual([
      expect.objectContaining({ index: 1, code: 'ReceiptHandleIsInvalid', senderFault: true }),
    ]);
    expect(await queueDepth(client, queue)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('sends to a FIFO queue in group order, deduplicating by idempotency key', async () => {
    const queue = await newQueue('sqs-fifo', { FifoQueue: 'true' });
    const [first, second, third] = ['A', 'B', 'C'].map((reference) =>
      paymentMessage(reference, randomUUID()),
    );

    await expect(client.sendMessage(first, queue)).rejects.toThrowError(SqsInvalidArgumentError);
    for (const message of [first, second, first, third]) {
      await client.sendMessage(message, queue, { messageGroupId: 'customer-1' });
    }
    const batch = await client.sendMessages([paymentMessage('D', randomUUID())], queue, {
      messageGroupId: 'customer-2',
    });
    // ElasticMQ leaves SequenceNumber out of batch results; the received attributes carry it everywhere.
    expect(batch.successful).toEqual([
      expect.objectContaining({ index: 0, messageId: expect.any(String) }),
    ]);

    const received = await receiveAtLeast(queue, 4);
    const group1 = received.filter((entry) => entry.attributes.MessageGroupId === 'customer-1');
    expect(group1.map((entry) => entry.message?.meta_data.idempotency_key)).toEqual(
      [first, second, third].map((message) => message.meta_data.idempotency_key),
    );
    expect(group1.map((entry) => entry.attributes.MessageDeduplicationId)).toEqual(
      [first, second, third].map((message) => message.meta_data.idempotency_key),
    );
    expect(received).toHaveLength(4);
    expect(received.map((entry) => entry.attributes.SequenceNumber)).toEqual(
      Array(4).fill(expect.any(String)),
    );
    expect(
      received.find((entry) => entry.attributes.MessageGroupId === 'customer-2'),
    ).toBeDefined();

    await client.deleteMessages(
      queue,
      received.map((entry) => entry.receiptHandle),
    );
    expect(await client.receiveMessage(queue, { waitTimeSeconds: 1 })).toBeNull();
  });

  it('keeps a message hidden for the visibilityTimeout given, then delivers it again', async () => {
    const queue = await newQueue('sqs-visibility', { VisibilityTimeout: '30' });
    await client.sendMessage(paymentMessage(), queue);

    const first = await client.receiveMessage(queue, { waitTimeSeconds: 5, visibilityTimeout: 3 });
    const hiddenFrom = Date.now();
    expect(first).not.toBeNull();
    expect(await client.receiveMessage(queue, { waitTimeSeconds: 1 })).toBeNull();

    const again = await client.receiveMessage(queue, { waitTimeSeconds: 10 });
    expect(Date.now() - hiddenFrom).toBeGreaterThanOrEqual(2_000);
    expect(again?.messageId).toBe(first?.messageId);
    expect(again?.receiveCount).toBe(2);
    await client.deleteMessage(queue, again!.receiptHandle);
  });

  it("uses the queue's own visibility timeout by default, and changeMessageVisibility releases a message", async () => {
    const queue = await newQueue('sqs-default-visibility', { VisibilityTimeout: '30' });
    await client.sendMessage(paymentMessage(), queue);

    const first = await client.receiveMessage(queue, { waitTimeSeconds: 5 });
    expect(first).not.toBeNull();
    expect(await client.receiveMessage(queue, { waitTimeSeconds: 3 })).toBeNull();

    await client.changeMessageVisibility(queue, first!.receiptHandle, 0);
    const again = await client.receiveMessage(queue, { waitTimeSeconds: 5 });
    expect(again?.messageId).toBe(first?.messageId);

    await client.changeMessageVisibilityBatch(queue, [
      { receiptHandle: again!.receiptHandle, visibilityTimeout: 0 },
    ]);
    const third = await client.receiveMessage(queue, { waitTimeSeconds: 5 });
    expect(third?.receiveCount).toBe(3);
    await client.deleteMessage(queue, third!.receiptHandle);
  });

  it('delays a message by delaySeconds', async () => {
    const queue = await newQueue('sqs-delay');
    await client.sendMessage(paymentMessage(), queue, { delaySeconds: 3 });
    expect(await client.receiveMessage(queue, { waitTimeSeconds: 1 })).toBeNull();
    const delayed = await client.receiveMessage(queue, { waitTimeSeconds: 10 });
    expect(delayed?.message).toBeInstanceOf(MessageBusMessage);
  });

  it('returns null from an empty queue', async () => {
    const queue = await newQueue('sqs-empty');
    expect(await client.receiveMessage(queue, { waitTimeSeconds: 1 })).toBeNull();
    expect(await client.receiveMessages(queue, { waitTimeSeconds: 1 })).toEqual([]);
  });

  it('long-polls 20 s by default before returning null, without a client-side timeout', async () => {
    const queue = await newQueue('sqs-long-poll');
    const started = Date.now();
    expect(await client.receiveMessage(queue)).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(19_000);
  });

  it('ends a long poll early when aborted, resolving empty', async () => {
    const queue = await newQueue('sqs-abort');
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    await expect(
      client.receiveMessages(queue, { waitTimeSeconds: 20, abortSignal: controller.signal }),
    ).resolves.toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);
    // The client still works after an aborted request.
    expect(await client.receiveMessage(queue, { waitTimeSeconds: 0 })).toBeNull();
  });

  it('throws SqsQueueDoesNotExistError for a queue that does not exist, never null', async () => {
    const missing = uniqueName('sqs-missing');
    const url = client.resolveQueueUrl(missing);

    const received = await client
      .receiveMessage(missing, { waitTimeSeconds: 1 })
      .catch((caught: unknown) => caught);
    expect(received).toBeInstanceOf(SqsQueueDoesNotExistError);
    expect(received).toMatchObject({
      operation: 'ReceiveMessage',
      queue: url,
      code: 'QueueDoesNotExist',
      senderFault: true,
    });

    await expect(client.sendMessage(paymentMessage(), missing)).rejects.toThrowError(
      SqsQueueDoesNotExistError,
    );
    await expect(client.getQueueUrl(missing)).rejects.toThrowError(SqsQueueDoesNotExistError);

    const batch = await client
      .sendMessages(
        Array.from({ length: 12 }, () => paymentMessage()),
        missing,
      )
      .catch((caught: unknown) => caught);
    expect(batch).toBeInstanceOf(SqsBatchError);
    expect((batch as SqsBatchError).cause).toBeInstanceOf(SqsQueueDoesNotExistError);
    expect((batch as SqsBatchError).failed.map((failure) => failure.code)).toEqual([
      ...Array<string>(10).fill('QueueDoesNotExist'),
      'NotAttempted',
      'NotAttempted',
    ]);
  });

  it('finds a queue URL by name', async () => {
    const queue = await newQueue('sqs-url');
    expect(await client.getQueueUrl(queue)).toMatch(new RegExp(`/${queue}$`));
  });
});

describe('SqsClient and the Python client (boto3)', () => {
  it('receives and validates a message a Python service sent', async () => {
    const queue = await newQueue('sqs-from-python');
    const key = randomUUID();
    const sent = await boto3Peer<{ message_id: string; body: string }>(
      'send',
      client.resolveQueueUrl(queue),
      key,
    );

    const received = await client.receiveMessage(queue, { waitTimeSeconds: 5 });

    expect(received?.messageId).toBe(sent.message_id);
    expect(received?.rawBody).toBe(sent.body);
    expect(received?.validationError).toBeUndefined();
    expect(received?.message).toBeInstanceOf(MessageBusMessage);
    expect(received?.message?.meta_data.idempotency_key).toBe(key);
    expect(received?.message?.type).toBe('PAYMENT');
    expect(received?.message?.payload).toMatchObject({ payer_name: 'Zoë Ørsted', value: '12.50' });
    // Same fields in the same order: this client would have written the very same bytes.
    expect(received?.message?.serialize()).toBe(sent.body);
    await client.deleteMessage(queue, received!.receiptHandle);
  });

  it('writes what boto3 reads back as the exact json.dumps bytes', async () => {
    const queue = await newQueue('sqs-to-python');
    const url = client.resolveQueueUrl(queue);
    for (const outgoing of [
      paymentMessage('P-TO-PY'),
      { kind: 'ping', name: 'Zoë', n: [1, 2.5, true, null] },
    ]) {
      const messageId = await client.sendMessage(outgoing, queue);
      const read = await boto3Peer<{
        received: boolean;
        message_id: string;
        body: string;
        redumped: string;
      }>('receive', url);

      expect(read.received).toBe(true);
      expect(read.message_id).toBe(messageId);
      const expected =
        outgoing instanceof MessageBusMessage
          ? outgoing.serialize()
          : '{"kind": "ping", "name": "Zo\\u00eb", "n": [1, 2.5, true, null]}';
      expect(read.body).toBe(expected);
      expect(read.redumped).toBe(read.body);
    }
  });
});
