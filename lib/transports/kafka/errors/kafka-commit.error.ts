import { MessageBusError } from '../../../errors/message-bus.error';

export interface KafkaCommitErrorDetails {
  readonly topic: string;
  readonly groupId: string;
  readonly partition: number;
  /** The offset that was to be committed: the handle's offset + 1. */
  readonly offset: string;
  readonly kafkaError: string;
  readonly kafkaErrorType?: string;
  readonly detail?: string;
}

/**
 * The group coordinator did not take an offset commit, e.g. because the group rebalanced
 * meanwhile. Nothing is lost: the message, not committed, is delivered again.
 */
export class KafkaCommitError extends MessageBusError implements KafkaCommitErrorDetails {
  override readonly name: string = 'KafkaCommitError';
  readonly topic: string;
  readonly groupId: string;
  readonly partition: number;
  readonly offset: string;
  readonly kafkaError: string;
  readonly kafkaErrorType?: string;
  readonly detail?: string;

  constructor(details: KafkaCommitErrorDetails, options?: { cause?: unknown }) {
    super(
      `Committing offset ${details.offset} of Kafka topic ${details.topic} partition ${details.partition} ` +
        `in group ${details.groupId} failed with ${details.kafkaErrorType ?? details.kafkaError}` +
        `${details.detail ? `: ${details.detail}` : ''}; the message will be delivered again`,
      options,
    );
    this.topic = details.topic;
    this.groupId = details.groupId;
    this.partition = details.partition;
    this.offset = details.offset;
    this.kafkaError = details.kafkaError;
    this.kafkaErrorType = details.kafkaErrorType;
    this.detail = details.detail;
  }
}
