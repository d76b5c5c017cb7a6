import type { MessageBusMessage } from '../../message/message-bus-message';
import type { ResolvedSqsConsumer } from '../../options/resolved-options';
import type {
  DeliveryHandler,
  MessageTransport,
  PublishOptions,
  PublishReceipt,
  RunningConsumer,
} from '../transport.interface';
import type { SqsClient } from './sqs.client';
import { SqsConsumer } from './sqs.consumer';

/** The SQS bus: publishes through SqsClient, consumes with one SqsConsumer per queue. */
export class SqsTransport implements MessageTransport<ResolvedSqsConsumer> {
  readonly name = 'sqs' as const;

  constructor(private readonly client: SqsClient) {}

  async publish(
    message: MessageBusMessage,
    destination: string,
    options: PublishOptions = {},
  ): Promise<PublishReceipt> {
    const messageId = await this.client.sendMessage(message, destination, {
      delaySeconds: options.delaySeconds,
      messageGroupId: options.messageGroupId,
    });
    return { transport: 'sqs', destination, messageId };
  }

  async consume(
    subscription: ResolvedSqsConsumer,
    handler: DeliveryHandler,
  ): Promise<RunningConsumer> {
    const consumer = new SqsConsumer(this.client, subscription, handler);
    await consumer.start();
    return consumer;
  }

  async close(): Promise<void> {}
}
