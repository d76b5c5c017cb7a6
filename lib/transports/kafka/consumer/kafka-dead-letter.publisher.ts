import type { Admin, Message } from 'kafkajs';
import type { KafkaClient } from '../kafka.client';
import { loadKafkaJs } from '../kafkajs.loader';
import { toKafkaSendError, type KafkaErrorContext } from '../kafka-error-mapping';
import { KAFKA_DEFAULT_MAX_MESSAGE_BYTES } from './kafka-consumer.constants';
import { toTruncatedKafkaDeadLetterRecord } from './kafka-dead-letter-record';
import { kafkaDeadLetterRefusalOf } from './kafka-dead-letter-refusal';
import { kafkaErrorContextOf } from './kafka-error-context';

/**
 * What became of a dead letter:
 * - `stored`: the record as given is stored by all in-sync replicas;
 * - `truncated`: it was too large, and a truncated one (see `toTruncatedKafkaDeadLetterRecord`) is stored;
 * - `notStored`: the broker refuses it for good (not authorised, topic missing or invalid, even
 *   the truncated record too large): sending it again would fail the same way.
 */
export type KafkaDeadLetterResult = 'stored' | 'truncated' | { readonly notStored: Error };

/** Where the consumer publishes what it gives up on. */
export interface KafkaDeadLetterSink {
  /**
   * Stores `record` in `topic`, or says why it cannot. Rejects (with a `MessageBusError`) only
   * for a failure that may pass (broker down, leader moving): the caller tries again later.
   */
  publish(topic: string, record: Message): Promise<KafkaDeadLetterResult>;
}

/** A send the broker refused for good; `undefined` from `send` means stored. */
interface Refused {
  readonly tooLarge: boolean;
  readonly error: Error;
}

/**
 * Publishes dead-letter records through the client's producer: idempotent, one request in
 * flight, acknowledged by all in-sync replicas, so that a record the consumer then commits
 * past is really stored. A record over the topic's size limit is published truncated instead.
 */
export class KafkaDeadLetterPublisher implements KafkaDeadLetterSink {
  private readonly errorContext: KafkaErrorContext;

  constructor(private readonly client: KafkaClient) {
    this.errorContext = kafkaErrorContextOf(client.settings);
  }

  async publish(topic: string, record: Message): Promise<KafkaDeadLetterResult> {
    const refused = await this.send(topic, record);
    if (refused === undefined) return 'stored';
    if (!refused.tooLarge) return { notStored: refused.error };
    const truncated = toTruncatedKafkaDeadLetterRecord(record, await this.maxMessageBytesOf(topic));
    const again = await this.send(topic, truncated);
    return again === undefined ? 'truncated' : { notStored: again.error };
  }

  /** Undefined once stored; the refusal when it is for good; rejects when it may pass. */
  private async send(topic: string, record: Message): Promise<Refused | undefined> {
    // Throws the client's own typed errors (closed, cannot connect): those may pass.
    const producer = await this.client.producer();
    try {
      await producer.send({ topic, acks: -1, messages: [record] });
      return undefined;
    } catch (raw) {
      const error = toKafkaSendError(raw, topic, 1, this.errorContext);
      const refusal = kafkaDeadLetterRefusalOf(error);
      if (refusal === 'too-large') return { tooLarge: true, error };
      if (refusal === 'refused') return { tooLarge: false, error };
      if (refusal === 'missing' && !(await this.topicExists(topic))) {
        return { tooLarge: false, error };
      }
      throw error;
    }
  }

  /** Asked after UNKNOWN_TOPIC_OR_PARTITION: a topic being created exists already, one never created does not. */
  private async topicExists(topic: string): Promise<boolean> {
    // If the cluster cannot be asked, assume it exists: the publish is tried again, nothing is skipped.
    return this.withAdmin(
      (admin) => admin.listTopics().then((topics) => topics.includes(topic)),
      true,
    );
  }

  /** The topic's `max.message.bytes`, or the broker default if it cannot be read. */
  private maxMessageBytesOf(topic: string): Promise<number> {
    return this.withAdmin(async (admin) => {
      const { resources } = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          {
            type: loadKafkaJs().ConfigResourceTypes.TOPIC,
            name: topic,
            configNames: ['max.message.bytes'],
          },
        ],
      });
      const value = Number(resources[0]?.configEntries[0]?.configValue);
      return Number.isInteger(value) && value > 0 ? value : KAFKA_DEFAULT_MAX_MESSAGE_BYTES;
    }, KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
  }

  /** Runs `work` on a short-lived admin client (rare: only after a refusal), `fallback` if it fails. */
  private async withAdmin<T>(work: (admin: Admin) => Promise<T>, fallback: T): Promise<T> {
    const admin = this.client.createKafka('admin').admin();
    try {
      await admin.connect();
      return await work(admin);
    } catch {
      return fallback;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
