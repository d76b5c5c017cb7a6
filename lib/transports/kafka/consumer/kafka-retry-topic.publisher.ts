import type { Message, TopicMessages } from 'kafkajs';
import type { KafkaClient } from '../kafka.client';
import { toKafkaSendError, type KafkaErrorContext } from '../kafka-error-mapping';
import { kafkaErrorContextOf } from './kafka-error-context';

/** Where `retryMode: 'retry-topic'` puts a failed message until its retry. */
export interface KafkaRetryTopicSink {
  /** Resolves once `record` is stored in `topic`; rejects (with a `MessageBusError`) otherwise. */
  publish(topic: string, record: Message): Promise<void>;
}

interface QueuedCopy {
  readonly topic: string;
  readonly record: Message;
  readonly stored: () => void;
  readonly failed: (error: unknown) => void;
}

/**
 * Publishes retry copies through the client's producer: idempotent, acknowledged by all
 * in-sync replicas, so that the original the consumer then commits past is really kept. The
 * producer has one request in flight, so copies asked for while one is being sent (from the
 * other partitions, say) go together in the next request rather than one request each.
 */
export class KafkaRetryTopicPublisher implements KafkaRetryTopicSink {
  private readonly errorContext: KafkaErrorContext;
  private queued: QueuedCopy[] = [];
  private sending = false;

  constructor(private readonly client: KafkaClient) {
    this.errorContext = kafkaErrorContextOf(client.settings);
  }

  publish(topic: string, record: Message): Promise<void> {
    return new Promise<void>((stored, failed) => {
      this.queued.push({ topic, record, stored, failed });
      if (!this.sending) void this.sendQueued();
    });
  }

  private async sendQueued(): Promise<void> {
    this.sending = true;
    while (this.queued.length > 0) {
      const copies = this.queued;
      this.queued = [];
      try {
        const producer = await this.client.producer();
        await producer.sendBatch({ acks: -1, topicMessages: byTopic(copies) });
        for (const copy of copies) copy.stored();
      } catch (raw) {
        for (const copy of copies)
          copy.failed(toKafkaSendError(raw, copy.topic, copies.length, this.errorContext));
      }
    }
    this.sending = false;
  }
}

function byTopic(copies: readonly QueuedCopy[]): TopicMessages[] {
  const topics = new Map<string, Message[]>();
  for (const { topic, record } of copies) {
    const messages = topics.get(topic);
    if (messages === undefined) topics.set(topic, [record]);
    else messages.push(record);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}
