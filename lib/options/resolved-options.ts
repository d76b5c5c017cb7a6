import type { IdempotencyPolicy } from '../idempotency/idempotency-policy';
import type { RetryPolicy } from '../dispatch/retry-policy';
import type { UnhandledPolicy } from '../dispatch/unhandled-policy';
import type {
  KafkaConsumerOptions,
  KafkaRetryMode,
  SqsConsumerOptions,
} from '../interfaces/consumer-options.interface';
import type { ConsumerFailureBehaviour } from '../interfaces/message-bus-module-options.interface';
import type { MessageTypeDefinition } from '../message/message-type-registry';
import type {
  KafkaClientOptions,
  KafkaPartitionAssigner,
} from '../transports/kafka/kafka-client-options.interface';
import type { SqsClientOptions } from '../transports/sqs/sqs-client-options.interface';
import type { TransportName } from '../interfaces/transport-name';
import type { StartupPolicy } from '../interfaces/startup-policy';
import type { ResolvedTokenVerification } from '../trust/resolve-token-verification';
import type { ServiceTokenSource } from '../trust/service-token';
import type { ResolvedTelemetry } from '../telemetry/telemetry-options.interface';

export interface ResolvedSqsConsumer extends Required<
  Omit<
    SqsConsumerOptions,
    'deadLetterQueue' | 'retry' | 'unhandled' | 'verifyToken' | 'idempotency' | 'autoStart'
  >
> {
  /** The consumer's `verifyToken`, else the module's; unset (tests building one by hand) is the module's. */
  verifyToken?: boolean;
  deadLetterQueue?: string;
  retry: RetryPolicy;
  /** The consumer's `unhandled`, else the module's, else the default, per kind of message. */
  unhandled: UnhandledPolicy;
  /** The consumer's `idempotency` on top of the module's (always set by resolveModuleOptions). */
  idempotency?: IdempotencyPolicy;
  /** The module's `startup` (always set by resolveModuleOptions); unset is the default, keep retrying. */
  startup?: StartupPolicy;
  /** The consumer's `autoStart`, else the module's; unset (tests building one by hand) starts. */
  autoStart?: boolean;
}

export interface ResolvedKafkaConsumer extends Required<
  Omit<
    KafkaConsumerOptions,
    | 'retry'
    | 'unhandled'
    | 'partitionAssigners'
    | 'verifyToken'
    | 'idempotency'
    | 'autoStart'
    | 'retryMode'
    | 'retryTopic'
  >
> {
  /** Always set by resolveModuleOptions; unset (tests building one by hand) is `'blocking'`. */
  retryMode?: KafkaRetryMode;
  /** Set with `retryMode: 'retry-topic'`, to the consumer's `retryTopic` or `<topic>.retry`. */
  retryTopic?: string;
  /** The consumer's `verifyToken`, else the module's; unset (tests building one by hand) is the module's. */
  verifyToken?: boolean;
  /** The consumer's own `partitionAssigners`; unset means the client's `kafka.partitionAssigners`. */
  partitionAssigners?: readonly KafkaPartitionAssigner[];
  retry: RetryPolicy;
  /** The consumer's `unhandled`, else the module's, else the default, per kind of message. */
  unhandled: UnhandledPolicy;
  /** The consumer's `idempotency` on top of the module's (always set by resolveModuleOptions). */
  idempotency?: IdempotencyPolicy;
  /** The module's `startup` (always set by resolveModuleOptions); unset is the default, keep retrying. */
  startup?: StartupPolicy;
  /** The consumer's `autoStart`, else the module's; unset (tests building one by hand) starts. */
  autoStart?: boolean;
}

/** Module options after start-up checks, with every default filled in. */
export interface ResolvedMessageBusOptions {
  transport: TransportName;
  sqs?: SqsClientOptions;
  kafka?: KafkaClientOptions;
  sqsConsumers: ResolvedSqsConsumer[];
  kafkaConsumers: ResolvedKafkaConsumer[];
  messageTypes: MessageTypeDefinition[];
  /** The module's `unhandled`, else the default: for deliveries that come through no consumer. */
  unhandled: UnhandledPolicy;
  /** The module's `idempotency`, else off: for deliveries that come through no consumer. */
  idempotency: IdempotencyPolicy;
  /** The module's `consume`, default true. */
  consume: boolean;
  /** The module's `autoStart`, default true (each consumer's own is resolved with it). */
  autoStart: boolean;
  shutdownTimeoutMs: number;
  onConsumerFailure: ConsumerFailureBehaviour;
  /** The module's `startup`, default `'keep-retrying'`. */
  startup: StartupPolicy;
  tokenVerification?: ResolvedTokenVerification;
  /** The module's `verifyToken`, default false. */
  verifyToken: boolean;
  serviceToken?: ServiceTokenSource;
  /** The module's `telemetry`; unset (options built by hand) means both signals on. */
  telemetry?: ResolvedTelemetry;
}
