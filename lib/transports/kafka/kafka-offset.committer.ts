import { KafkaCommitError } from './errors/kafka-commit.error';
import { KafkaReceiptHandleError } from './errors/kafka-receipt-handle.error';
import { MessageBusError } from '../../errors/message-bus.error';
import { assertTopic } from './kafka-call-checks';
import { toKafkaCommitError, type KafkaErrorContext } from './kafka-error-mapping';
import { KafkaCommitNotConfirmed, type KafkaPullConsumer } from './kafka-pull-consumer';
import type { KafkaPullConsumers } from './kafka-pull-consumers';
import { parseKafkaReceiptHandle } from './kafka-receipt-handle';

/**
 * Marks received messages done: finds, from a receipt handle, the pull consumer that handed
 * the message out, and commits offset + 1 on it, with commit failures as typed errors.
 */
export class KafkaOffsetCommitter {
  constructor(
    private readonly consumers: KafkaPullConsumers,
    private readonly errorContext: KafkaErrorContext,
  ) {}

  async commitHandle(topic: string, receiptHandle: string, groupId?: string): Promise<void> {
    assertTopic(topic);
    const position = parseKafkaReceiptHandle(receiptHandle);
    if (position.topic !== topic)
      throw new KafkaReceiptHandleError(receiptHandle, 'topic-mismatch', { topic });
    const candidates = this.consumers.startedOn(topic, groupId);
    const delivering = candidates.filter((consumer) =>
      consumer.hasDelivered(position.partition, position.offset),
    );
    const groups = (delivering.length > 0 ? delivering : candidates).map(
      (consumer) => consumer.groupId,
    );
    if (delivering.length === 0) {
      throw new KafkaReceiptHandleError(receiptHandle, 'not-delivered', {
        topic,
        groupIds: groupId ? [groupId] : groups,
      });
    }
    if (delivering.length > 1)
      throw new KafkaReceiptHandleError(receiptHandle, 'ambiguous', { topic, groupIds: groups });
    await this.commit(delivering[0], position.partition, position.offset, receiptHandle);
  }

  /** Commits offset + 1 of `partition` on the consumer that handed the record out. */
  async commit(
    consumer: KafkaPullConsumer,
    partition: number,
    offset: string,
    receiptHandle: string,
  ): Promise<void> {
    try {
      await consumer.commit(partition, offset, receiptHandle);
    } catch (error) {
      if (error instanceof MessageBusError) throw error;
      const position = {
        topic: consumer.topic,
        groupId: consumer.groupId,
        partition,
        offset: (BigInt(offset) + 1n).toString(),
      };
      if (error instanceof KafkaCommitNotConfirmed) {
        throw new KafkaCommitError(
          { ...position, kafkaError: error.name, detail: error.message },
          { cause: error },
        );
      }
      throw toKafkaCommitError(error, position, this.errorContext);
    }
  }
}
