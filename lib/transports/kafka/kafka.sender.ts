import type { Message, Producer, RecordMetadata } from 'kafkajs';
import { MessageValidationError } from '../../errors/message-validation.error';
import type { MessageParseOptions } from '../../message/message-bus-message';
import { KafkaInvalidArgumentError } from './errors/kafka-invalid-argument.error';
import { KafkaSendError } from './errors/kafka-send.error';
import { assertTopic, toHeaders, toKey } from './kafka-call-checks';
import { toKafkaSendError, type KafkaErrorContext } from './kafka-error-mapping';
import { toKafkaValue, type KafkaOutgoingMessage } from './kafka-message-codec';
import type { KafkaPartitionRecorder } from './kafka-partition-recorder';
import type { KafkaBatchEntry, KafkaSendResult } from './kafka-received-message.interface';

/**
 * The send path of `KafkaClient`: checks and encodes every message before any is sent,
 * produces with acks from all in-sync replicas, and reports where each message was written.
 */
export class KafkaSender {
  /**
   * @param producer the client's shared producer, connected; called only once every message
   * of a send passed its checks
   */
  constructor(
    private readonly producer: () => Promise<Producer>,
    private readonly partitions: KafkaPartitionRecorder,
    private readonly errorContext: KafkaErrorContext,
    private readonly parseOptions: MessageParseOptions,
  ) {}

  async sendOne(
    message: KafkaOutgoingMessage,
    topic: string,
    key: string | undefined,
    headers?: Readonly<Record<string, string>>,
  ): Promise<KafkaSendResult> {
    assertTopic(topic);
    const value = toKafkaValue(message, this.parseOptions);
    const checked = toHeaders(headers, 'headers');
    const [result] = await this.send(topic, [
      { key: toKey(key, 'key'), value, ...(checked === undefined ? {} : { headers: checked }) },
    ]);
    return result;
  }

  async sendMany(entries: readonly KafkaBatchEntry[], topic: string): Promise<KafkaSendResult[]> {
    assertTopic(topic);
    if (!Array.isArray(entries)) {
      throw new KafkaInvalidArgumentError('entries', 'must be an array of { message, key? }');
    }
    const messages = entries.map((entry, index): Message => {
      if (entry === null || typeof entry !== 'object') {
        throw new KafkaInvalidArgumentError(
          `entries[${index}]`,
          'must be { message, key?, headers? }',
        );
      }
      let value: string;
      try {
        value = toKafkaValue(entry.message, this.parseOptions);
      } catch (error) {
        if (!(error instanceof MessageValidationError)) throw error;
        throw new MessageValidationError(
          error.issues.map((issue) => ({
            ...issue,
            field: `entries[${index}].message.${issue.field}`,
          })),
          `Invalid message at entries[${index}]`,
        );
      }
      const headers = toHeaders(entry.headers, `entries[${index}].headers`);
      return {
        key: toKey(entry.key, `entries[${index}].key`),
        value,
        ...(headers === undefined ? {} : { headers }),
      };
    });
    if (messages.length === 0) return [];
    return this.send(topic, messages);
  }

  private async send(topic: string, messages: Message[]): Promise<KafkaSendResult[]> {
    const producer = await this.producer();
    let metadata: RecordMetadata[];
    try {
      metadata = await producer.send({ topic, acks: -1, messages });
    } catch (error) {
      throw toKafkaSendError(error, topic, messages.length, this.errorContext);
    }
    return this.offsetsOf(topic, messages, metadata);
  }

  /** One result per message: its partition's base offset plus its place among that partition's messages. */
  private offsetsOf(
    topic: string,
    messages: readonly Message[],
    metadata: readonly RecordMetadata[],
  ): KafkaSendResult[] {
    const next = new Map<number, bigint>();
    for (const entry of metadata) {
      if (entry.topicName === topic && entry.baseOffset !== undefined)
        next.set(entry.partition, BigInt(entry.baseOffset));
    }
    return messages.map((message) => {
      const partition = this.partitions.partitionOf(message);
      const offset = partition === undefined ? undefined : next.get(partition);
      if (partition === undefined || offset === undefined) {
        throw new KafkaSendError({
          topic,
          messageCount: messages.length,
          kafkaError: 'MissingProduceResponse',
          retriable: false,
          detail: 'the broker acknowledged the send without an offset for every partition written',
        });
      }
      next.set(partition, offset + 1n);
      return { topic, partition, offset: offset.toString() };
    });
  }
}
