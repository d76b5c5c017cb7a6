import type { MessageBusMessage } from '../../message/message-bus-message';
import type { ResolvedKafkaConsumer } from '../../options/resolved-options';
import type {
  DeliveryHandler,
  MessageTransport,
  PublishOptions,
  PublishReceipt,
  RunningConsumer,
} from '../transport.interface';
import type { KafkaClient } from './kafka.client';
import { KafkaConsumer } from './kafka.consumer';
import { KafkaGroupMembers } from './kafka-group-members';

/**
 * The Kafka bus: publishes through KafkaClient, consumes with one KafkaConsumer per topic and
 * group, or `members` of them in the same group.
 */
export class KafkaTransport implements MessageTransport<ResolvedKafkaConsumer> {
  readonly name = 'kafka' as const;

  constructor(private readonly client: KafkaClient) {}

  async publish(
    message: MessageBusMessage,
    destination: string,
    options: PublishOptions = {},
  ): Promise<PublishReceipt> {
    const { partition, offset } = await this.client.sendMessage(
      message,
      destination,
      options.key,
      options.headers,
    );
    return { transport: 'kafka', destination, partition, offset: String(offset) };
  }

  async consume(
    subscription: ResolvedKafkaConsumer,
    handler: DeliveryHandler,
  ): Promise<RunningConsumer> {
    const { members } = subscription;
    if (members === 1) {
      const consumer = new KafkaConsumer(this.client, subscription, handler);
      await consumer.start();
      return consumer;
    }
    const group = Array.from(
      { length: members },
      (_, index) =>
        new KafkaConsumer(this.client, subscription, handler, `member ${index + 1}/${members}`),
    );
    return KafkaGroupMembers.start(KafkaConsumer.nameOf(subscription), group);
  }

  async close(): Promise<void> {}
}
