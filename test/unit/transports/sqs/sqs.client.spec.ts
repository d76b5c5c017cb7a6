import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  SQSServiceException,
} from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MessageValidationError } from '../../../../lib/errors/message-validation.error';
import { SqsBatchError } from '../../../../lib/transports/sqs/errors/sqs-batch.error';
import { SqsClientClosedError } from '../../../../lib/transports/sqs/errors/sqs-client-closed.error';
import { SqsInvalidArgumentError } from '../../../../lib/transports/sqs/errors/sqs-invalid-argument.error';
import { SqsOperationError } from '../../../../lib/transports/sqs/errors/sqs-operation.error';
import { SqsQueueDoesNotExistError } from '../../../../lib/transports/sqs/errors/sqs-queue-does-not-exist.error';
import { SqsClient } from '../../../../lib/transports/sqs/sqs.client';
import { invalidEnvelope, paymentMessage, SERVICE_TOKEN } from './sqs-fixtures';

const BASE = 'http://127.0.0.1:9324/000000000000';

interface Command {
  readonly input: Record<string, unknown> & { Entries?: Array<Record<string, unknown>> };
}
type Handler = (command: Command, options?: { abortSignal?: AbortSignal }) => unknown;

/** An SqsClient over a fake SDK client that records every command. */
function clientWith(handler: Handler = () => ({})) {
  const commands: Command[] = [];
  const sdk = {
    send: vi.fn(async (command: Command, options?: { abortSignal?: AbortSignal }) => {
      commands.push(command);
      return handler(command, options);
    }),
    destroy: vi.fn(),
  };
  const client = new SqsClient({ queueUrl: BASE, client: sdk as unknown as SQSClient });
  return { client, sdk, commands };
}

/** Answers batch commands: every entry successful except the ids in `failIds`. */
function batchAnswer(failIds: string[] = []): Handler {
  return (command) => {
    const entries = command.input.Entries ?? [];
    return {
      Successful: entries
        .filter((entry) => !failIds.includes(entry.Id as string))
        .map((entry) => ({ Id: entry.Id, MessageId: `m-${String(entry.Id)}` })),
      Failed: entries
        .filter((entry) => failIds.includes(entry.Id as string))
        .map((entry) => ({
          Id: entry.Id,
          Code: 'InvalidParameterValue',
          Message: 'refused',
          SenderFault: true,
        })),
    };
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('SqsClient.sendMessage', () => {
  it('sends a message as its serialize() text with DelaySeconds 0, and returns the MessageId', async () => {
    const { client, commands } = clientWith(() => ({ MessageId: 'id-1' }));
    const message = paymentMessage();
    await expect(client.sendMessage(message, 'payments')).resolves.toBe('id-1');
    expect(commands).toHaveLength(1);
    expect(commands[0]).toBeInstanceOf(SendMessageCommand);
    expect(commands[0].input).toEqual({
      QueueUrl: `${BASE}/payments`,
      MessageBody: message.serialize(),
      DelaySeconds: 0,
    });
  });

  it('passes the delay and String message attributes', async () => {
    const { client, commands } = clientWith(() => ({ MessageId: 'id-2' }));
    await client.sendMessage({ kind: 'ping' }, 'payments', {
      delaySeconds: 5,
      messageAttributes: { tenant: 'acme' },
    });
    expect(commands[0].input).toEqual({
      QueueUrl: `${BASE}/payments`,
      MessageBody: '{"kind": "ping"}',
      DelaySeconds: 5,
      MessageAttributes: { tenant: { DataType: 'String', StringValue: 'acme' } },
    });
  });

  it('sends to a FIFO queue with the group id and the idempotency key as deduplication id, without a delay', async () => {
    const { client, commands } = clientWith(() => ({ MessageId: 'id-3' }));
    await client.sendMessage(paymentMessage('idem-1'), 'orders.fifo', {
      messageGroupId: 'customer-1',
    });
    expect(commands[0].input).toMatchObject({
      MessageGroupId: 'customer-1',
      MessageDeduplicationId: 'idem-1',
    });
    expect(commands[0].input).not.toHaveProperty('DelaySeconds');
  });

  it('lets deduplicationId override the idempotency key on a FIFO queue', async () => {
    const { client, commands } = clientWith(() => ({ MessageId: 'id-4' }));
    await client.sendMessage({ kind: 'ping' }, 'orders.fifo', {
      messageGroupId: 'g',
      deduplicationId: 'd-1',
    });
    expect(commands[0].input.MessageDeduplicationId).toBe('d-1');
  });

  it.each([
    ['a FIFO queue without a group id', 'orders.fifo', {}, 'options.messageGroupId'],
    [
      'a per-message delay on a FIFO queue',
      'orders.fifo',
      { messageGroupId: 'g', delaySeconds: 3 },
      'options.delaySeconds',
    ],
    ['a delay over 900 s', 'payments', { delaySeconds: 901 }, 'options.delaySeconds'],
    ['a fractional delay', 'payments', { delaySeconds: 1.5 }, 'options.delaySeconds'],
    [
      'a deduplication id on a standard queue',
      'payments',
      { deduplicationId: 'd' },
      'options.deduplicationId',
    ],
    [
      'an empty attribute value',
      'payments',
      { messageAttributes: { tenant: '' } },
      'options.messageAttributes.tenant',
    ],
    ['an invalid queue name', 'bad name', {}, 'targetQueue'],
  ])('refuses %s before sending', async (_label, target, options, argument) => {
    const { client, sdk } = clientWith();
    const error = await rejection(client.sendMessage(paymentMessage(), target, options));
    expect(error).toBeInstanceOf(SqsInvalidArgumentError);
    expect((error as SqsInvalidArgumentError).argument).toBe(argument);
    expect(error.message).toContain(argument);
    expect(sdk.send).not.toHaveBeenCalled();
  });

  it('refuses more than 10 message attributes', async () => {
    const { client, sdk } = clientWith();
    const messageAttributes = Object.fromEntries(
      Array.from({ length: 11 }, (_, index) => [`a${index}`, 'v']),
    );
    await expect(
      client.sendMessage({ a: 1 }, 'payments', { messageAttributes }),
    ).rejects.toThrowError(/at most 10/);
    expect(sdk.send).not.toHaveBeenCalled();
  });

  it('rejects an invalid envelope with MessageValidationError and sends nothing', async () => {
    const { client, sdk } = clientWith();
    const error = await rejection(client.sendMessage(invalidEnvelope(), 'payments'));
    expect(error).toBeInstanceOf(MessageValidationError);
    expect(error.message).not.toContain(SERVICE_TOKEN);
    expect(sdk.send).not.toHaveBeenCalled();
  });

  it('wraps an SDK failure in SqsOperationError naming the operation and queue', async () => {
    const { client } = clientWith(() => {
      throw new SQSServiceException({
        name: 'InvalidSecurity',
        $fault: 'client',
        $metadata: {},
        message: 'denied',
      });
    });
    const error = await rejection(client.sendMessage(paymentMessage(), 'payments'));
    expect(error).toBeInstanceOf(SqsOperationError);
    expect(error).toMatchObject({
      operation: 'SendMessage',
      queue: `${BASE}/payments`,
      code: 'InvalidSecurity',
    });
    expect(error.message).not.toContain(SERVICE_TOKEN);
  });
});

describe('SqsClient.sendMessages', () => {
  it('sends 25 messages in batches of 10, 10 and 5, in order, and reports every MessageId by index', async () => {
    const { client, commands } = clientWith(batchAnswer());
    const messages = Array.from({ length: 25 }, () => paymentMessage());
    const result = await client.sendMessages(messages, 'payments');
    expect(commands.every((command) => command instanceof SendMessageBatchCommand)).toBe(true);
    expect(commands.map((command) => command.input.Entries?.length)).toEqual([10, 10, 5]);
    expect(commands.flatMap((command) => command.input.Entries?.map((entry) => entry.Id))).toEqual(
      messages.map((_, index) => String(index)),
    );
    expect(commands[0].input.Entries?.[0]).toEqual({
      Id: '0',
      MessageBody: messages[0].serialize(),
      DelaySeconds: 0,
    });
    expect(result.failed).toEqual([]);
    expect(result.successful).toHaveLength(25);
    expect(result.successful[24]).toEqual({ index: 24, messageId: 'm-24' });
  });

  it('splits batches at 256 KiB', async () => {
    const { client, commands } = clientWith(batchAnswer());
    const big = { blob: 'x'.repeat(100 * 1024) };
    await client.sendMessages([big, big, big, big], 'payments');
    expect(commands.map((command) => command.input.Entries?.length)).toEqual([2, 2]);
  });

  it('throws SqsBatchError with per-entry failures, validation rejections included, after sending the rest', async () => {
    const { client, commands } = clientWith(batchAnswer(['3']));
    const messages = [paymentMessage(), invalidEnvelope(), paymentMessage(), paymentMessage()];
    const error = await rejection(client.sendMessages(messages, 'payments'));
    expect(error).toBeInstanceOf(SqsBatchError);
    const batch = error as SqsBatchError;
    expect(commands[0].input.Entries?.map((entry) => entry.Id)).toEqual(['0', '2', '3']);
    expect(batch.successful.map((entry) => entry.index)).toEqual([0, 2]);
    expect(batch.failed).toEqual([
      expect.objectContaining({
        index: 1,
        code: 'MessageValidationError',
        senderFault: true,
        error: expect.any(MessageValidationError),
      }),
      { index: 3, code: 'InvalidParameterValue', reason: 'refused', senderFault: true },
    ]);
    expect(batch.message).not.toContain(SERVICE_TOKEN);
  });

  it('after a whole request fails, reports its entries with the cause and the later ones as NotAttempted', async () => {
    let call = 0;
    const { client, commands } = clientWith((command) => {
      call += 1;
      if (call === 2)
        throw new SQSServiceException({
          name: 'ServiceUnavailable',
          $fault: 'server',
          $metadata: {},
          message: 'down',
        });
      return batchAnswer()(command);
    });
    const error = (await rejection(
      client.sendMessages(
        Array.from({ length: 25 }, () => paymentMessage()),
        'payments',
      ),
    )) as SqsBatchError;
    expect(commands).toHaveLength(2);
    expect(error.successful).toHaveLength(10);
    expect(error.failed).toHaveLength(15);
    expect(error.failed[0]).toMatchObject({
      index: 10,
      code: 'ServiceUnavailable',
      senderFault: false,
    });
    expect(error.failed[14]).toMatchObject({ index: 24, code: 'NotAttempted', senderFault: false });
    expect(error.cause).toBeInstanceOf(SqsOperationError);
  });

  it('never counts an entry SQS left out of its answer as sent', async () => {
    const { client } = clientWith(() => ({
      Successful: [{ Id: '0', MessageId: 'm-0' }],
      Failed: [],
    }));
    const error = (await rejection(
      client.sendMessages([{ a: 1 }, { a: 2 }], 'payments'),
    )) as SqsBatchError;
    expect(error.failed).toEqual([
      expect.objectContaining({ index: 1, code: 'MissingFromResponse' }),
    ]);
  });

  it('applies FIFO parameters per entry, each with its own idempotency key', async () => {
    const { client, commands } = clientWith(batchAnswer());
    await client.sendMessages([paymentMessage('k-0'), paymentMessage('k-1')], 'orders.fifo', {
      messageGroupId: 'g',
    });
    expect(commands[0].input.Entries).toEqual([
      expect.objectContaining({ Id: '0', MessageGroupId: 'g', MessageDeduplicationId: 'k-0' }),
      expect.objectContaining({ Id: '1', MessageGroupId: 'g', MessageDeduplicationId: 'k-1' }),
    ]);
  });

  it('refuses a shared deduplicationId, and resolves at once for no messages', async () => {
    const { client, sdk } = clientWith(batchAnswer());
    await expect(
      client.sendMessages([{ a: 1 }], 'orders.fifo', {
        messageGroupId: 'g',
        deduplicationId: 'x',
      } as never),
    ).rejects.toThrowError(SqsInvalidArgumentError);
    await expect(client.sendMessages([], 'payments')).resolves.toEqual({
      successful: [],
      failed: [],
    });
    expect(sdk.send).not.toHaveBeenCalled();
  });
});

describe('SqsClient.receiveMessage(s)', () => {
  const raw = {
    MessageId: 'mid-1',
    ReceiptHandle: 'rh-1',
    Body: '{"kind": "ping"}',
    Attributes: {
      ApproximateReceiveCount: '3',
      SentTimestamp: '1700000000000',
      MessageGroupId: 'g',
    },
    MessageAttributes: {
      tenant: { DataType: 'String', StringValue: 'acme' },
      blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2]) },
    },
  };

  it('long-polls 20 s for one message with all attributes, and leaves the visibility timeout to the queue', async () => {
    const { client, commands } = clientWith(() => ({ Messages: [raw] }));
    const received = await client.receiveMessage('payments');
    expect(commands[0]).toBeInstanceOf(ReceiveMessageCommand);
    expect(commands[0].input).toEqual({
      QueueUrl: `${BASE}/payments`,
      MaxNumberOfMessages: 1,
      WaitTimeSeconds: 20,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    });
    expect(received).toEqual({
      receiptHandle: 'rh-1',
      messageId: 'mid-1',
      rawBody: '{"kind": "ping"}',
      body: { kind: 'ping' },
      receiveCount: 3,
      attributes: raw.Attributes,
      messageAttributes: {
        tenant: { dataType: 'String', stringValue: 'acme' },
        blob: { dataType: 'Binary', binaryValue: new Uint8Array([1, 2]) },
      },
    });
  });

  it('returns a validated message, or the validation error of a bad envelope', async () => {
    const message = paymentMessage();
    const { client } = clientWith(() => ({
      Messages: [
        { ...raw, Body: message.serialize() },
        { ...raw, Body: JSON.stringify(invalidEnvelope()) },
      ],
    }));
    const [good, bad] = await client.receiveMessages('payments');
    expect(good.message?.serialize()).toBe(message.serialize());
    expect(bad.message).toBeUndefined();
    expect(bad.validationError).toBeInstanceOf(MessageValidationError);
  });

  it('returns null when no message arrived', async () => {
    const { client } = clientWith(() => ({}));
    await expect(client.receiveMessage('payments', { waitTimeSeconds: 0 })).resolves.toBeNull();
  });

  it('passes maxMessages, waitTimeSeconds and visibilityTimeout', async () => {
    const { client, commands } = clientWith(() => ({ Messages: [] }));
    await client.receiveMessages('payments', {
      maxMessages: 7,
      waitTimeSeconds: 2,
      visibilityTimeout: 0,
    });
    expect(commands[0].input).toMatchObject({
      MaxNumberOfMessages: 7,
      WaitTimeSeconds: 2,
      VisibilityTimeout: 0,
    });
  });

  it.each([
    [{ maxMessages: 0 }, 'options.maxMessages'],
    [{ maxMessages: 11 }, 'options.maxMessages'],
    [{ waitTimeSeconds: 21 }, 'options.waitTimeSeconds'],
    [{ visibilityTimeout: -1 }, 'options.visibilityTimeout'],
    [{ visibilityTimeout: 43_201 }, 'options.visibilityTimeout'],
  ])('refuses %j', async (options, argument) => {
    const { client, sdk } = clientWith();
    const error = await rejection(client.receiveMessages('payments', options));
    expect((error as SqsInvalidArgumentError).argument).toBe(argument);
    expect(sdk.send).not.toHaveBeenCalled();
  });

  it('throws SqsQueueDoesNotExistError for a missing queue instead of returning null', async () => {
    const { client } = clientWith(() => {
      throw new QueueDoesNotExist({
        $metadata: { httpStatusCode: 400 },
        message: 'The specified queue does not exist.',
      });
    });
    const error = await rejection(client.receiveMessage('nope'));
    expect(error).toBeInstanceOf(SqsQueueDoesNotExistError);
    expect(error).toMatchObject({ operation: 'ReceiveMessage', queue: `${BASE}/nope` });
  });

  it('resolves empty when aborted, before or during the poll, without passing the SDK per-call options', async () => {
    const controller = new AbortController();
    let answer!: (output: unknown) => void;
    const { client, sdk } = clientWith(() => new Promise((resolve) => (answer = resolve)));
    const polling = client.receiveMessages('payments', { abortSignal: controller.signal });
    await vi.waitFor(() => expect(sdk.send).toHaveBeenCalledTimes(1));
    controller.abort();
    await expect(polling).resolves.toEqual([]);
    // Its late answer is dropped, not handed out.
    answer({ Messages: [{ MessageId: 'm-1', ReceiptHandle: 'rh-1', Body: '{}' }] });
    await expect(
      client.receiveMessage('payments', { abortSignal: controller.signal }),
    ).resolves.toBeNull();
    expect(sdk.send).toHaveBeenCalledTimes(1);
    // Per-call options would make the SDK resolve its middleware again (and drop cacheMiddleware's cache).
    expect(sdk.send.mock.calls[0]).toHaveLength(1);
  });

  it('drops a failure that comes after the abort, and throws one that comes before it', async () => {
    const controller = new AbortController();
    let fail!: (error: unknown) => void;
    const { client } = clientWith(() => new Promise((_resolve, reject) => (fail = reject)));
    const polling = client.receiveMessages('payments', { abortSignal: controller.signal });
    await vi.waitFor(() => expect(fail).toBeTypeOf('function'));
    controller.abort();
    await expect(polling).resolves.toEqual([]);
    fail(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));

    const failing = clientWith(() => {
      throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    });
    const error = await rejection(
      failing.client.receiveMessages('payments', { abortSignal: new AbortController().signal }),
    );
    expect(error).toBeInstanceOf(SqsOperationError);
    expect((error as SqsOperationError).code).toBe('TimeoutError');
    await expect(failing.client.receiveMessage('payments')).rejects.toThrowError(SqsOperationError);
  });
});

describe('SqsClient batched deletes and visibility changes', () => {
  it('deletes 12 receipt handles in batches of 10 and 2', async () => {
    const { client, commands } = clientWith(batchAnswer());
    const handles = Array.from({ length: 12 }, (_, index) => `rh-${index}`);
    const result = await client.deleteMessages('payments', handles);
    expect(commands.every((command) => command instanceof DeleteMessageBatchCommand)).toBe(true);
    expect(commands.map((command) => command.input.Entries?.length)).toEqual([10, 2]);
    expect(commands[1].input.Entries).toEqual([
      { Id: '10', ReceiptHandle: 'rh-10' },
      { Id: '11', ReceiptHandle: 'rh-11' },
    ]);
    expect(result.successful.map((entry) => entry.index)).toEqual(handles.map((_, index) => index));
  });

  it('throws SqsBatchError naming the receipt handles that failed', async () => {
    const { client } = clientWith(batchAnswer(['1']));
    const error = (await rejection(
      client.deleteMessages('payments', ['a', 'b', 'c']),
    )) as SqsBatchError;
    expect(error).toBeInstanceOf(SqsBatchError);
    expect(error.operation).toBe('DeleteMessageBatch');
    expect(error.failedIndexes).toEqual([1]);
    expect(error.successful).toEqual([{ index: 0 }, { index: 2 }]);
  });

  it('refuses an empty receipt handle before sending', async () => {
    const { client, sdk } = clientWith();
    await expect(client.deleteMessages('payments', ['a', ''])).rejects.toThrowError(
      /receiptHandles\[1\]/,
    );
    await expect(client.deleteMessage('payments', '')).rejects.toThrowError(
      SqsInvalidArgumentError,
    );
    expect(sdk.send).not.toHaveBeenCalled();
  });

  it('changes visibility in batches with each entry its own timeout', async () => {
    const { client, commands } = clientWith(batchAnswer());
    await client.changeMessageVisibilityBatch('payments', [
      { receiptHandle: 'a', visibilityTimeout: 0 },
      { receiptHandle: 'b', visibilityTimeout: 60 },
    ]);
    expect(commands[0]).toBeInstanceOf(ChangeMessageVisibilityBatchCommand);
    expect(commands[0].input.Entries).toEqual([
      { Id: '0', ReceiptHandle: 'a', VisibilityTimeout: 0 },
      { Id: '1', ReceiptHandle: 'b', VisibilityTimeout: 60 },
    ]);
    await expect(
      client.changeMessageVisibilityBatch('payments', [
        { receiptHandle: 'a', visibilityTimeout: 50_000 },
      ]),
    ).rejects.toThrowError(/changes\[0\]\.visibilityTimeout/);
  });
});

describe('SqsClient queues and lifecycle', () => {
  it('creates a .fifo queue with FifoQueue set, and returns the URL SQS gives', async () => {
    const { client, commands } = clientWith(() => ({
      QueueUrl: 'http://localhost:9324/000000000000/o.fifo',
    }));
    await expect(client.createQueue('o.fifo', { ContentBasedDeduplication: 'true' })).resolves.toBe(
      'http://localhost:9324/000000000000/o.fifo',
    );
    expect(commands[0]).toBeInstanceOf(CreateQueueCommand);
    expect(commands[0].input).toEqual({
      QueueName: 'o.fifo',
      Attributes: { ContentBasedDeduplication: 'true', FifoQueue: 'true' },
    });
  });

  it('resolves queue names and full URLs', () => {
    const { client } = clientWith();
    expect(client.resolveQueueUrl('payments')).toBe(`${BASE}/payments`);
    expect(client.resolveQueueUrl('https://sqs.eu-west-1.amazonaws.com/1/q')).toBe(
      'https://sqs.eu-west-1.amazonaws.com/1/q',
    );
  });

  it('leaves a client it was given alone on close, refuses calls after close, and closes twice safely', async () => {
    const { client, sdk } = clientWith();
    await client.close();
    await client.close();
    expect(sdk.destroy).not.toHaveBeenCalled();
    const error = await rejection(client.sendMessage(paymentMessage(), 'payments'));
    expect(error).toBeInstanceOf(SqsClientClosedError);
    expect(error.message).toContain('SendMessage');
    expect(sdk.send).not.toHaveBeenCalled();
  });

  it('builds one SDK client, reuses it for every call, and destroys it once on close', async () => {
    const send = vi
      .spyOn(SQSClient.prototype, 'send')
      .mockImplementation(() => Promise.resolve({ MessageId: 'x' }) as never);
    const destroy = vi.spyOn(SQSClient.prototype, 'destroy');
    const client = new SqsClient({
      queueUrl: BASE,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await client.sendMessage({ a: 1 }, 'payments');
    await client.sendMessage({ a: 2 }, 'payments');
    expect(send).toHaveBeenCalledTimes(2);
    const [first, second] = send.mock.contexts;
    expect(first).toBeInstanceOf(SQSClient);
    expect(second).toBe(first);
    expect(await (first as SQSClient).config.region()).toBe('eu-west-1');
    await client.close();
    await client.close();
    expect(destroy).toHaveBeenCalledTimes(1);
  });
});
