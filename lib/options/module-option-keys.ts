import type {
  ConsumersOptions,
  KafkaConsumerOptions,
  SqsConsumerOptions,
} from '../interfaces/consumer-options.interface';
import type { MessageBusModuleOptions } from '../interfaces/message-bus-module-options.interface';
import type { RetryOptions } from '../interfaces/retry-options.interface';
import type { OptionKeys } from './option-checks';

/** The keys of `MessageBusModuleOptions`, and `isGlobal`, ConfigurableModuleBuilder's extra. */
export const MODULE_OPTION_KEYS: OptionKeys<MessageBusModuleOptions & { isGlobal?: boolean }> = {
  transport: true,
  sqs: true,
  kafka: true,
  consumers: true,
  messageTypes: true,
  unhandled: true,
  consume: true,
  autoStart: true,
  shutdownTimeoutMs: true,
  onConsumerFailure: true,
  startup: true,
  tokenVerification: true,
  verifyToken: true,
  serviceToken: true,
  idempotency: true,
  telemetry: true,
  isGlobal: true,
};

export const CONSUMERS_OPTION_KEYS: OptionKeys<ConsumersOptions> = { sqs: true, kafka: true };

export const SQS_CONSUMER_OPTION_KEYS: OptionKeys<SqsConsumerOptions> = {
  queue: true,
  deadLetterQueue: true,
  retry: true,
  concurrency: true,
  waitTimeSeconds: true,
  visibilityTimeout: true,
  pollers: true,
  unhandled: true,
  verifyToken: true,
  idempotency: true,
  autoStart: true,
};

export const KAFKA_CONSUMER_OPTION_KEYS: OptionKeys<KafkaConsumerOptions> = {
  topic: true,
  groupId: true,
  deadLetterTopic: true,
  retry: true,
  retryMode: true,
  retryTopic: true,
  partitionsConcurrency: true,
  members: true,
  fromBeginning: true,
  partitionAssigners: true,
  unhandled: true,
  verifyToken: true,
  idempotency: true,
  autoStart: true,
};

export const RETRY_OPTION_KEYS: OptionKeys<RetryOptions> = {
  maxAttempts: true,
  initialDelayMs: true,
  multiplier: true,
  maxDelayMs: true,
};
