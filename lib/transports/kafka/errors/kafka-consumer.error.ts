import { MessageBusError } from '../../../errors/message-bus.error';

export interface KafkaConsumerErrorDetails {
  readonly topic: string;
  readonly groupId: string;
  readonly kafkaError: string;
  readonly kafkaErrorType?: string;
  readonly detail?: string;
}

/**
 * A consumer could not start (join its group, subscribe) or stopped for good. The client
 * drops it, so the next `receiveMessage` starts a fresh one; nothing uncommitted is lost.
 */
export class KafkaConsumerError extends MessageBusError implements KafkaConsumerErrorDetails {
  override readonly name: string = 'KafkaConsumerError';
  readonly topic: string;
  readonly groupId: string;
  readonly kafkaError: string;
  readonly kafkaErrorType?: string;
  readonly detail?: string;

  constructor(details: KafkaConsumerErrorDetails, options?: { cause?: unknown }) {
    super(
      `Kafka consumer of topic ${details.topic} in group ${details.groupId} failed with ` +
        `${details.kafkaErrorType ?? details.kafkaError}${details.detail ? `: ${details.detail}` : ''}`,
      options,
    );
    this.topic = details.topic;
    this.groupId = details.groupId;
    this.kafkaError = details.kafkaError;
    this.kafkaErrorType = details.kafkaErrorType;
    this.detail = details.detail;
  }
}
