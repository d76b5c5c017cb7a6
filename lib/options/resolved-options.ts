import type { RetryPolicy } from '../dispatch/retry-policy';
import type {
  KafkaConsumerOptions,
  SqsConsumerOptions,
} from '../interfaces/consumer-options.interface';
import type { ConsumerFailureBehaviour } from '../interfaces/message-bus-module-options.interface';
import type { MessageTypeDefinition } from '../message/message-type-registry';
import type { KafkaClientOptions } from '../transports/kafka/kafka-client-options.interface';
import type { SqsClientOptions } from '../transports/sqs/sqs-client-options.interface';
import type { TransportName } from '../transports/transport-name';

export interface ResolvedSqsConsumer extends Required<
  Omit<SqsConsumerOptions, 'deadLetterQueue' | 'retry'>
> {
  deadLetterQueue?: string;
  retry: RetryPolicy;
}

export interface ResolvedKafkaConsumer extends Required<Omit<KafkaConsumerOptions, 'retry'>> {
  retry: RetryPolicy;
}

/** Module options after start-up checks, with every default filled in. */
export interface ResolvedMessageBusOptions {
  transport: TransportName;
  sqs?: SqsClientOptions;
  kafka?: KafkaClientOptions;
  sqsConsumers: ResolvedSqsConsumer[];
  kafkaConsumers: ResolvedKafkaConsumer[];
  messageTypes: MessageTypeDefinition[];
  shutdownTimeoutMs: number;
  onConsumerFailure: ConsumerFailureBehaviour;
}
