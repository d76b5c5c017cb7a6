import type { IHeaders } from 'kafkajs';
import type { MessageParseOptions } from '../../message/message-bus-message';
import { assertTopic, checkTimeoutMs, resolveGroupId } from './kafka-call-checks';
import { toKafkaConsumerError, type KafkaErrorContext } from './kafka-error-mapping';
import { readKafkaValue } from './kafka-message-codec';
import type { KafkaOffsetCommitter } from './kafka-offset.committer';
import type { KafkaPulledRecord } from './kafka-pull-consumer';
import type { KafkaPullConsumers } from './kafka-pull-consumers';
import { formatKafkaReceiptHandle } from './kafka-receipt-handle';
import type { KafkaReceiveOptions, KafkaReceivedMessage } from './kafka-received-message.interface';
import { KAFKA_DEFAULT_RECEIVE_TIMEOUT_MS } from './kafka.constants';

/**
 * The receive path of `KafkaClient`: the next record of a topic for a group, from that
 * (topic, group)'s pull consumer, as a `KafkaReceivedMessage` with its value read (and, for an
 * envelope, validated) and its receipt handle; committed at once with `autoCommit`.
 */
export class KafkaReceiver {
  constructor(
    private readonly consumers: KafkaPullConsumers,
    private readonly committer: KafkaOffsetCommitter,
    private readonly errorContext: KafkaErrorContext,
    private readonly parseOptions: MessageParseOptions,
  ) {}

  async receive<TPayload extends object>(
    topic: string,
    options: KafkaReceiveOptions,
  ): Promise<KafkaReceivedMessage<TPayload> | null> {
    assertTopic(topic);
    const groupId = resolveGroupId(topic, options.groupId);
    const timeoutMs = options.timeoutMs ?? KAFKA_DEFAULT_RECEIVE_TIMEOUT_MS;
    checkTimeoutMs(timeoutMs);
    const entry = this.consumers.entryFor(topic, groupId);
    const consumer = await entry.ready;
    let record: KafkaPulledRecord | null;
    try {
      record = await consumer.receive(timeoutMs, options.abortSignal);
    } catch (error) {
      // It stopped for good: forget it, so the next call starts a fresh one.
      this.consumers.forget(entry);
      void consumer.close().catch(() => undefined);
      throw toKafkaConsumerError(error, topic, groupId, this.errorContext);
    }
    if (!record) return null;
    const received = this.toReceivedMessage<TPayload>(record, groupId);
    if (options.autoCommit)
      await this.committer.commit(
        consumer,
        record.partition,
        record.offset,
        received.receiptHandle,
      );
    return received;
  }

  private toReceivedMessage<TPayload extends object>(
    record: KafkaPulledRecord,
    groupId: string,
  ): KafkaReceivedMessage<TPayload> {
    const { message } = record;
    return {
      receiptHandle: formatKafkaReceiptHandle(record),
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      groupId,
      key: message.key ? message.key.toString('utf8') : null,
      headers: decodeHeaders(message.headers),
      timestamp: message.timestamp,
      rawValue: message.value,
      ...readKafkaValue<TPayload>(message.value, this.parseOptions),
    };
  }
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string | string[]> {
  const decoded: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    decoded[name] = Array.isArray(value) ? value.map((item) => item.toString()) : value.toString();
  }
  return decoded;
}
