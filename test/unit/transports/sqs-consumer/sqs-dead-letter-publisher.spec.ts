import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it, vi } from 'vitest';
import { SqsOperationError } from '../../../../lib/errors/sqs-operation.error';
import {
  deadLetterAttributes,
  SqsDeadLetterPublisher,
  type SqsDeadLetter,
} from '../../../../lib/transports/sqs/consumer/sqs-dead-letter-publisher';
import { SqsClient } from '../../../../lib/transports/sqs/sqs.client';

const BASE = 'http://127.0.0.1:9324/000000000000';

interface SentCommand {
  readonly input: Record<string, unknown>;
}

function clientWith(send: (command: SentCommand) => unknown = () => ({ MessageId: 'dlq-1' })) {
  const commands: SentCommand[] = [];
  const sdk = {
    send: vi.fn(async (command: SentCommand) => {
      commands.push(command);
      return send(command);
    }),
    destroy: vi.fn(),
  };
  return {
    client: new SqsClient({ queueUrl: BASE, client: sdk as unknown as SQSClient }),
    commands,
  };
}

const letter: SqsDeadLetter = {
  rawBody: '{"meta_data": {"token": "secret"}, "payload": {not json',
  reason: 'invalid-message: MessageBusError: SyntaxError',
  sourceQueue: 'orders',
  attempts: 1,
  originalMessageId: 'original-id',
};

describe('SqsDeadLetterPublisher', () => {
  it('sends the original body byte for byte, with the reason as message attributes', async () => {
    const { client, commands } = clientWith();
    const publisher = new SqsDeadLetterPublisher(client, 'orders-dlq');

    await expect(publisher.publish(letter, new Date('2024-05-01T10:00:00.000Z'))).resolves.toBe(
      'dlq-1',
    );

    expect(commands).toHaveLength(1);
    expect(commands[0].input).toEqual({
      QueueUrl: `${BASE}/orders-dlq`,
      MessageBody: letter.rawBody,
      DelaySeconds: 0,
      MessageAttributes: {
        'bus-reason': { DataType: 'String', StringValue: letter.reason },
        'bus-source-queue': { DataType: 'String', StringValue: 'orders' },
        'bus-attempts': { DataType: 'Number', StringValue: '1' },
        'bus-failed-at': { DataType: 'String', StringValue: '2024-05-01T10:00:00.000Z' },
        'bus-original-message-id': { DataType: 'String', StringValue: 'original-id' },
      },
    });
  });

  it('keeps the original group and deduplicates by the original message id on a FIFO dead-letter queue', async () => {
    const { client, commands } = clientWith();
    const publisher = new SqsDeadLetterPublisher(client, 'orders-dlq.fifo');

    await publisher.publish({
      ...letter,
      sourceQueue: 'orders.fifo',
      messageGroupId: 'customer-7',
    });

    expect(commands[0].input).toMatchObject({
      MessageGroupId: 'customer-7',
      MessageDeduplicationId: 'original-id',
    });
  });

  it('uses the source queue name as the group when the source was a standard queue', async () => {
    const { client, commands } = clientWith();
    await new SqsDeadLetterPublisher(client, 'orders-dlq.fifo').publish(letter);
    expect(commands[0].input).toMatchObject({ MessageGroupId: 'orders' });
  });

  it('throws an SqsOperationError naming the dead-letter queue when SQS refuses', async () => {
    const { client } = clientWith(() => {
      throw Object.assign(new Error('no such queue'), {
        name: 'QueueDoesNotExist',
        $fault: 'client',
      });
    });
    const error = await new SqsDeadLetterPublisher(client, 'missing-dlq')
      .publish(letter)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SqsOperationError);
    expect((error as SqsOperationError).queue).toBe(`${BASE}/missing-dlq`);
  });
});

describe('deadLetterAttributes', () => {
  it('cuts a very long reason and carries original attributes while SQS limit of 10 allows', () => {
    const original = Object.fromEntries(
      Array.from({ length: 8 }, (_, index) => [
        `trace-${index}`,
        { dataType: 'String', stringValue: `v${index}` },
      ]),
    );
    const attributes = deadLetterAttributes(
      {
        ...letter,
        reason: 'x'.repeat(5_000),
        messageAttributes: {
          ...original,
          'bus-reason': { dataType: 'String', stringValue: 'old' },
        },
      },
      new Date(0),
    );

    expect(Object.keys(attributes)).toHaveLength(10);
    expect(attributes['bus-reason'].StringValue).toHaveLength(1_000);
    expect(attributes['trace-0']).toEqual({ DataType: 'String', StringValue: 'v0' });
    expect(attributes['trace-5']).toBeUndefined();
  });
});
