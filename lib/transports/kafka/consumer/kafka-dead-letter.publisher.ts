import type { Message } from 'kafkajs';
import type { KafkaClient } from '../kafka.client';
import { toKafkaSendError, type KafkaErrorContext } from '../kafka-error-mapping';
import { kafkaErrorContextOf } from './kafka-error-context';

/** Where the consumer publishes what it gives up on. */
export interface KafkaDeadLetterSink {
  /** Resolves once the record is stored by all in-sync replicas; rejects with a `MessageBusError`. */
  publish(topic: string, record: Message): Promise<void>;
}

/**
 * Publishes dead-letter records through the client's producer: idempotent, one request in
 * flight, acknowledged by all in-sync replicas, so that a record the consumer then commits
 * past is really stored.
 */
export class KafkaDeadLetterPublisher implements KafkaDeadLetterSink {
  private readonly errorContext: KafkaErrorContext;

  constructor(private readonly client: KafkaClient) {
    this.errorContext = kafkaErrorContextOf(client.settings);
  }

  async publish(topic: string, record: Message): Promise<void> {
    // Throws the client's own typed errors (closed, cannot connect).
    const producer = await this.client.producer();
    try {
      await producer.send({ topic, acks: -1, messages: [record] });
    } catch (error) {
      throw toKafkaSendError(error, topic, 1, this.errorContext);
    }
  }
}
