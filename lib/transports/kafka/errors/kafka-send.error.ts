import { MessageBusError } from '../../../errors/message-bus.error';

export interface KafkaSendErrorDetails {
  readonly topic: string;
  /** How many messages the failed send carried; all of them are reported failed together. */
  readonly messageCount: number;
  /** The kafkajs error behind it, e.g. `KafkaJSProtocolError`. */
  readonly kafkaError: string;
  /** Kafka's error code name when the broker answered with one, e.g. `TOPIC_AUTHORIZATION_FAILED`. */
  readonly kafkaErrorType?: string;
  readonly retriable: boolean;
  readonly detail?: string;
}

/**
 * A send failed after the producer's retries. Some of its messages may still have been
 * written (the broker may have stored them before the answer was lost): retrying is safe
 * for consumers that drop duplicates by `meta_data.idempotency_key`.
 */
export class KafkaSendError extends MessageBusError implements KafkaSendErrorDetails {
  override readonly name: string = 'KafkaSendError';
  readonly topic: string;
  readonly messageCount: number;
  readonly kafkaError: string;
  readonly kafkaErrorType?: string;
  readonly retriable: boolean;
  readonly detail?: string;

  constructor(details: KafkaSendErrorDetails, options?: { cause?: unknown }) {
    const count = details.messageCount === 1 ? '1 message' : `${details.messageCount} messages`;
    super(
      `Sending ${count} to Kafka topic ${details.topic} failed with ${details.kafkaErrorType ?? details.kafkaError}` +
        `${details.detail ? `: ${details.detail}` : ''}`,
      options,
    );
    this.topic = details.topic;
    this.messageCount = details.messageCount;
    this.kafkaError = details.kafkaError;
    this.kafkaErrorType = details.kafkaErrorType;
    this.retriable = details.retriable;
    this.detail = details.detail;
  }
}
