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
 * in-sync replicas, so that the original the consumer then commits past is really kept.
 * Copies go in batches, one request in flight: the first copy of a burst is sent once the
 * batches that are running have yielded (`setImmediate`), so that every copy asked for
 * meanwhile (the rest of its batch, the other partitions' batches of the same fetch) goes in
 * the same request; copies asked for while a request is out go together in the next one.
 * Nothing waits longer for it: a batch that needs its copies stored waits anyway.
 */
export class KafkaRetryTopicPublisher implements KafkaRetryTopicSink {
  private readonly errorContext: KafkaErrorContext;
  private queued: QueuedCopy[] = [];
  private sending = false;
  private readonly send = (): void => void this.sendQueued();

  constructor(private readonly client: KafkaClient) {
    this.errorContext = kafkaErrorContextOf(client.settings);
  }

  publish(topic: string, record: Message): Promise<void> {
    return new Promise<void>((stored, failed) => {
      this.queued.push({ topic, record, stored, failed });
      if (!this.sending) {
        this.sending = true;
        setImmediate(this.send);
      }
    });
  }

  private async sendQueued(): Promise<void> {
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
