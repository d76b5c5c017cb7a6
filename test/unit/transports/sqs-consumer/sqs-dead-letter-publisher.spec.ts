import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it, vi } from 'vitest';
import { FAILURE_TEXT_MAX_BYTES } from '../../../../lib/errors/bounded-failure-text';
import { SqsOperationError } from '../../../../lib/transports/sqs/errors/sqs-operation.error';
import {
  attributeBytes,
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
    const reason = attributes['bus-reason'].StringValue as string;
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(FAILURE_TEXT_MAX_BYTES);
    expect(reason).toBe(`${'x'.repeat(FAILURE_TEXT_MAX_BYTES - 3)}…`);
    expect(attributes['trace-0']).toEqual({ DataType: 'String', StringValue: 'v0' });
    expect(attributes['trace-5']).toBeUndefined();
  });
});

describe('dead letters near the size limit', () => {
  const total = (body: string, attributes: Record<string, MessageAttributeValue>): number =>
    Buffer.byteLength(body) +
    Object.entries(attributes).reduce((sum, [name, value]) => sum + attributeBytes(name, value), 0);
  const originals = {
    'trace-id': { dataType: 'String', stringValue: 't'.repeat(200) },
    tenant: { dataType: 'String', stringValue: 'acme' },
  };
  const withBody = (bytes: number): SqsDeadLetter => ({
    ...letter,
    rawBody: 'b'.repeat(bytes),
    reason: `invalid-message: ${'r'.repeat(3_000)}`,
    messageAttributes: originals,
  });

  it('trims the attributes so that body and attributes fit: the reason cut first, then the originals, then the origin', () => {
    const limit = 1_048_576;
    const roomy = deadLetterAttributes(withBody(1_000), new Date(0), limit - 1_000);
    expect(Object.keys(roomy)).toEqual([
      'bus-reason',
      'bus-source-queue',
      'bus-attempts',
      'bus-failed-at',
      'bus-original-message-id',
      'trace-id',
      'tenant',
    ]);
    for (const room of [1_500, 600, 300, 120, 60, 20, 0]) {
      const attributes = deadLetterAttributes(withBody(limit - room), new Date(0), room);
      expect(total('b'.repeat(limit - room), attributes)).toBeLessThanOrEqual(limit);
      if (room >= 300) {
        expect(attributes['bus-reason'].StringValue).toMatch(/^invalid-message: r+…$/);
        expect(attributes['bus-original-message-id']).toBeDefined();
      }
    }
    // With 600 bytes the reason (cut) and the origin fit; the copied originals come last and are dropped.
    const tight = deadLetterAttributes(withBody(limit - 600), new Date(0), 600);
    expect(tight['trace-id']).toBeUndefined();
    expect(tight.tenant).toBeUndefined();
    expect(tight['bus-source-queue']).toBeDefined();
    expect(Object.keys(deadLetterAttributes(withBody(limit), new Date(0), 0))).toEqual([]);
    // Too little room for the origin as well: the reason keeps what there is.
    const minimal = deadLetterAttributes(withBody(limit - 60), new Date(0), 60);
    expect(Object.keys(minimal)).toEqual(['bus-reason']);
  });

  it('asks the dead-letter queue for its MaximumMessageSize only for a large dead letter, once, and keeps within it', async () => {
    const { client, commands } = clientWith((command) =>
      'AttributeNames' in command.input
        ? { Attributes: { MaximumMessageSize: '262144' } }
        : { MessageId: 'dlq-1' },
    );
    const publisher = new SqsDeadLetterPublisher(client, 'orders-dlq');

    await publisher.publish(letter);
    expect(commands).toHaveLength(1);

    const body = 'b'.repeat(262_144 - 100);
    await publisher.publish({ ...withBody(0), rawBody: body });
    await publisher.publish({ ...withBody(0), rawBody: body });
    const asked = commands.filter((command) => 'AttributeNames' in command.input);
    expect(asked).toHaveLength(1);
    expect(asked[0].input).toMatchObject({ AttributeNames: ['MaximumMessageSize'] });
    const sent = commands.filter((command) => 'MessageBody' in command.input).at(-1);
    const input = sent?.input as {
      MessageBody: string;
      MessageAttributes: Record<string, MessageAttributeValue>;
    };
    expect(input.MessageBody).toBe(body);
    expect(total(input.MessageBody, input.MessageAttributes)).toBeLessThanOrEqual(262_144);
    expect(input.MessageAttributes['bus-reason']).toBeDefined();
  });

  it('assumes 1 MiB when the queue does not say', async () => {
    const { client, commands } = clientWith((command) =>
      'AttributeNames' in command.input ? { Attributes: {} } : { MessageId: 'dlq-1' },
    );
    const publisher = new SqsDeadLetterPublisher(client, 'orders-dlq');
    const body = 'b'.repeat(1_048_576 - 50);

    await publisher.publish({ ...withBody(0), rawBody: body });

    const input = commands.at(-1)?.input as {
      MessageBody: string;
      MessageAttributes: Record<string, MessageAttributeValue>;
    };
    expect(total(input.MessageBody, input.MessageAttributes)).toBeLessThanOrEqual(1_048_576);
    expect(input.MessageAttributes['bus-reason'].StringValue).toMatch(/^invalid-message: r*…$/);
  });
});
