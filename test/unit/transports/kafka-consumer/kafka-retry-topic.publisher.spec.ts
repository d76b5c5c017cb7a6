import type { Message, ProducerBatch } from 'kafkajs';
import { describe, expect, it, vi } from 'vitest';
import { KafkaSendError } from '../../../../lib/transports/kafka/errors/kafka-send.error';
import { KafkaRetryTopicPublisher } from '../../../../lib/transports/kafka/consumer/kafka-retry-topic.publisher';
import type { KafkaClient } from '../../../../lib/transports/kafka/kafka.client';

/** A client whose producer records every `sendBatch` and answers it when the test says so. */
function setup() {
  const requests: Array<{ batch: ProducerBatch; answer: (error?: Error) => void }> = [];
  const producer = {
    sendBatch: vi.fn(
      (batch: ProducerBatch) =>
        new Promise<[]>((resolve, reject) =>
          requests.push({
            batch,
            answer: (error) => (error === undefined ? resolve([]) : reject(error)),
          }),
        ),
    ),
  };
  const client = {
    settings: { brokers: ['b:9092'], securityProtocol: 'PLAINTEXT' },
    producer: vi.fn(async () => producer),
  } as unknown as KafkaClient;
  return { publisher: new KafkaRetryTopicPublisher(client), requests, producer };
}

const copy = (offset: number): Message => ({
  key: 'k',
  value: Buffer.from(`v${offset}`),
  headers: { 'bus-original-offset': String(offset) },
});

/** Lets the publisher's deferred send (setImmediate) and the producer's promise run. */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('KafkaRetryTopicPublisher', () => {
  it('sends the copies asked for before the running work yields in one request, acks from all replicas', async () => {
    const { publisher, requests } = setup();
    const stored = [
      publisher.publish('t.retry', copy(1)),
      publisher.publish('t.retry', copy(2)),
      publisher.publish('other.retry', copy(3)),
    ];
    // Nothing goes out while the batches that asked are still running.
    await Promise.resolve();
    expect(requests).toHaveLength(0);
    await turn();
    expect(requests).toHaveLength(1);
    expect(requests[0].batch.acks).toBe(-1);
    expect(
      requests[0].batch.topicMessages?.map(({ topic, messages }) => [topic, messages.length]),
    ).toEqual([
      ['t.retry', 2],
      ['other.retry', 1],
    ]);
    requests[0].answer();
    await expect(Promise.all(stored)).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('keeps one request in flight: copies asked for meanwhile go together in the next one', async () => {
    const { publisher, requests } = setup();
    const first = publisher.publish('t.retry', copy(1));
    await turn();
    const later = [publisher.publish('t.retry', copy(2)), publisher.publish('t.retry', copy(3))];
    await turn();
    expect(requests).toHaveLength(1);
    requests[0].answer();
    await first;
    await turn();
    expect(requests).toHaveLength(2);
    expect(requests[1].batch.topicMessages?.[0].messages).toHaveLength(2);
    requests[1].answer();
    await Promise.all(later);
  });

  it('rejects every copy of a request the broker refused with a KafkaSendError, and sends the next ones again', async () => {
    const { publisher, requests } = setup();
    const refused = [publisher.publish('t.retry', copy(1)), publisher.publish('t.retry', copy(2))];
    await turn();
    requests[0].answer(new Error('leader not available'));
    for (const copyStored of refused)
      await expect(copyStored).rejects.toBeInstanceOf(KafkaSendError);
    const next = publisher.publish('t.retry', copy(3));
    await turn();
    expect(requests).toHaveLength(2);
    requests[1].answer();
    await expect(next).resolves.toBeUndefined();
  });
});
