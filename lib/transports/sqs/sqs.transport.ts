import type { MessageBusMessage } from '../../message/message-bus-message';
import type { ResolvedSqsConsumer } from '../../options/resolved-options';
import type {
  DeliveryHandler,
  MessageTransport,
  PublishOptions,
  PublishReceipt,
  RunningConsumer,
} from '../transport.interface';
import type { SqsQueueDepth } from '../../telemetry/sqs-depth.sampler';
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
      ...(options.headers === undefined ? {} : { messageAttributes: options.headers }),
    });
    return { transport: 'sqs', destination, messageId };
  }

  /** A queue's approximate message counts, for the queue-depth gauge: one `GetQueueAttributes`. */
  async queueDepth(queue: string): Promise<SqsQueueDepth> {
    const attributes = await this.client.getQueueAttributes(queue, [
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
    ]);
    return {
      visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
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
