import type { Message } from 'kafkajs';
import { describe, expect, it, vi } from 'vitest';
import { KafkaConnectionError } from '../../../../lib/transports/kafka/errors/kafka-connection.error';
import { KafkaSendError } from '../../../../lib/transports/kafka/errors/kafka-send.error';
import { KafkaDeadLetterPublisher } from '../../../../lib/transports/kafka/consumer/kafka-dead-letter.publisher';
import type { KafkaClient } from '../../../../lib/transports/kafka/kafka.client';

/** A kafkajs protocol error as the producer throws it, wrapped the way kafkajs wraps non-retriable ones. */
function protocolError(type: string, retriable = false): Error {
  const cause = Object.assign(new Error(`broker says ${type}`), {
    name: 'KafkaJSProtocolError',
    type,
    retriable,
  });
  return Object.assign(new Error(cause.message), { name: 'KafkaJSNonRetriableError', cause });
}

function setup(
  sends: Array<Error | undefined>,
  admin: { topics?: string[]; maxMessageBytes?: string; fails?: boolean } = {},
) {
  const sent: Message[] = [];
  const producer = {
    send: vi.fn(async ({ messages }: { messages: Message[] }) => {
      sent.push(messages[0]);
      const next = sends.shift();
      if (next) throw next;
      return [];
    }),
  };
  const adminClient = {
    connect: vi.fn(async () => {
      if (admin.fails) throw new Error('no admin');
    }),
    disconnect: vi.fn(async () => undefined),
    listTopics: vi.fn(async () => admin.topics ?? []),
    describeConfigs: vi.fn(async () => ({
      resources: [{ configEntries: [{ configValue: admin.maxMessageBytes ?? '2000' }] }],
    })),
  };
  const client = {
    settings: { brokers: ['b:9092'], securityProtocol: 'PLAINTEXT' },
    producer: vi.fn(async () => producer),
    createKafka: vi.fn(() => ({ admin: () => adminClient })),
  } as unknown as KafkaClient;
  return { publisher: new KafkaDeadLetterPublisher(client), sent, adminClient };
}

const record = (): Message => ({
  key: 'k',
  value: Buffer.alloc(10_000, 0x62),
  headers: { 'bus-reason': 'invalid-message: x', 'bus-original-offset': '7', 'trace-id': 't' },
});

describe('KafkaDeadLetterPublisher', () => {
  it('stores the record as given', async () => {
    const { publisher, sent } = setup([undefined]);
    await expect(publisher.publish('dlq', record())).resolves.toBe('stored');
    expect(sent).toHaveLength(1);
  });

  it.each(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE'])(
    'publishes a truncated record, sized by the topic limit, when the broker says %s',
    async (type) => {
      const { publisher, sent, adminClient } = setup([protocolError(type), undefined], {
        maxMessageBytes: '3000',
      });
      await expect(publisher.publish('dlq', record())).resolves.toBe('truncated');
      expect(adminClient.describeConfigs).toHaveBeenCalledTimes(1);
      const truncated = sent[1];
      expect(truncated.headers).toMatchObject({
        'bus-reason': 'invalid-message: x',
        'bus-original-offset': '7',
        'bus-truncated': 'true',
        'bus-original-size': '10000',
      });
      expect(truncated.headers?.['trace-id']).toBeUndefined();
      expect((truncated.value as Buffer).length).toBeGreaterThan(2_500);
      expect((truncated.value as Buffer).length).toBeLessThan(3_000);
      expect(adminClient.disconnect).toHaveBeenCalled();
    },
  );

  it('falls back to the broker default limit when the topic config cannot be read', async () => {
    const { publisher, sent } = setup([protocolError('MESSAGE_TOO_LARGE'), undefined], {
      fails: true,
    });
    const big: Message = { ...record(), value: Buffer.alloc(2_000_000) };
    await expect(publisher.publish('dlq', big)).resolves.toBe('truncated');
    expect((sent[1].value as Buffer).length).toBeLessThan(1_048_588);
    expect((sent[1].value as Buffer).length).toBeGreaterThan(1_040_000);
  });

  it('says not stored when even the truncated record is too large', async () => {
    const { publisher } = setup([
      protocolError('MESSAGE_TOO_LARGE'),
      protocolError('MESSAGE_TOO_LARGE'),
    ]);
    const result = await publisher.publish('dlq', record());
    expect(result).toEqual({ notStored: expect.any(KafkaSendError) });
    expect((result as { notStored: KafkaSendError }).notStored.kafkaErrorType).toBe(
      'MESSAGE_TOO_LARGE',
    );
  });

  it.each([
    'TOPIC_AUTHORIZATION_FAILED',
    'CLUSTER_AUTHORIZATION_FAILED',
    'INVALID_TOPIC_EXCEPTION',
  ])('says not stored, without retrying, when the broker says %s', async (type) => {
    const { publisher, sent } = setup([protocolError(type)]);
    const result = await publisher.publish('dlq', record());
    expect((result as { notStored: KafkaSendError }).notStored.kafkaErrorType).toBe(type);
    expect(sent).toHaveLength(1);
  });

  it('says not stored for an unknown topic the cluster does not have, and rejects for one it has', async () => {
    const missing = setup([protocolError('UNKNOWN_TOPIC_OR_PARTITION', true)], {
      topics: ['other'],
    });
    await expect(missing.publisher.publish('dlq', record())).resolves.toEqual({
      notStored: expect.any(KafkaSendError),
    });

    const creating = setup([protocolError('UNKNOWN_TOPIC_OR_PARTITION', true)], {
      topics: ['dlq'],
    });
    await expect(creating.publisher.publish('dlq', record())).rejects.toBeInstanceOf(
      KafkaSendError,
    );

    const unknown = setup([protocolError('UNKNOWN_TOPIC_OR_PARTITION', true)], { fails: true });
    await expect(unknown.publisher.publish('dlq', record())).rejects.toBeInstanceOf(KafkaSendError);
  });

  it('rejects for failures that may pass: leader moving, broker down', async () => {
    const leader = setup([protocolError('NOT_LEADER_OR_FOLLOWER', true)]);
    await expect(leader.publisher.publish('dlq', record())).rejects.toBeInstanceOf(KafkaSendError);
    const down = setup([
      Object.assign(new Error('Connection error'), { name: 'KafkaJSConnectionError' }),
    ]);
    await expect(down.publisher.publish('dlq', record())).rejects.toBeInstanceOf(
      KafkaConnectionError,
    );
  });
});
