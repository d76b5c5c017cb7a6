import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { paymentEnvelopeText } from '../payment-envelope';

/** Topics the parent creates for one bench run, produced once and read by every contender. */
export class KafkaTopicFixture {
  private readonly kafka: Kafka;
  private readonly created: string[] = [];

  constructor(readonly brokers: string) {
    this.kafka = new Kafka({
      clientId: 'bench-fixture',
      brokers: [brokers],
      logLevel: logLevel.ERROR,
    });
  }

  /**
   * A fresh topic holding `count` PAYMENT envelopes (message i has index i), keys spread over 64.
   * `withRetryTopics`: also its dead-letter topic (`<topic>.dlq`) and retry topic
   * (`<topic>.retry`, as many partitions), which the library's consumers expect to exist.
   */
  async createFilledTopic(
    label: string,
    count: number,
    partitions: number,
    withRetryTopics = false,
  ): Promise<string> {
    const topic = `bench-${label}-${Date.now().toString(36)}-${randomUUID().slice(0, 6)}`;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const companions = withRetryTopics
        ? [
            { topic: `${topic}.dlq`, numPartitions: 1 },
            { topic: `${topic}.retry`, numPartitions: partitions },
          ]
        : [];
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic, numPartitions: partitions }, ...companions],
      });
    } finally {
      await admin.disconnect();
    }
    this.created.push(topic);
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (let start = 0; start < count; start += 2_000) {
        const messages: Message[] = [];
        for (let index = start; index < Math.min(count, start + 2_000); index += 1)
          messages.push({ key: `customer-${index % 64}`, value: paymentEnvelopeText(index) });
        await producer.send({ topic, acks: -1, messages });
      }
    } finally {
      await producer.disconnect();
    }
    return topic;
  }

  /** Deletes every topic this fixture created, and the retry / dead-letter topics named after them. */
  async close(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = await admin.listTopics();
      const ours = existing.filter((name) =>
        this.created.some(
          (topic) => name === topic || name.startsWith(`${topic}.`) || name.startsWith(`${topic}-`),
        ),
      );
      if (ours.length > 0) await admin.deleteTopics({ topics: ours }).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
  }
}
