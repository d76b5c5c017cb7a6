import type { IdempotencyOptions } from '../idempotency/idempotency-options.interface';
import type { UnhandledAction } from '../dispatch/unhandled-policy';
import type { KafkaPartitionAssigner } from '../transports/kafka/kafka-client-options.interface';
import type { RetryOptions } from './retry-options.interface';

/** An SQS queue this app consumes. */
export interface SqsConsumerOptions {
  /** Queue name (appended to `sqs.queueUrl`) or full queue URL. */
  queue: string;
  /**
   * Where messages that cannot be processed go, with their reason: a queue name or URL.
   * Without one, such messages stay on the queue (and its redrive policy, if any, applies).
   */
  deadLetterQueue?: string;
  retry?: RetryOptions;
  /** Messages held, and handlers running, at once for this queue. Default 50. */
  concurrency?: number;
  /** Long-polling wait of each receive, 0–20 s. Default 20. */
  waitTimeSeconds?: number;
  /** Visibility timeout given to received messages, in seconds. Default 30. */
  visibilityTimeout?: number;
  /** Receives polling at once. Default: one per 10 of `concurrency` (5 for the default 50). */
  pollers?: number;
  /** What becomes of a valid message no handler takes, for this queue; overrides the module's `unhandled`. */
  unhandled?: UnhandledAction;
  /** Verify every message's service token on this queue; overrides the module's `verifyToken`. */
  verifyToken?: boolean;
  /**
   * Idempotent handling for this consumer's handlers: `true`/`false` switch the module's
   * `idempotency` on or off here; an object overrides its settings field by field.
   */
  idempotency?: boolean | IdempotencyOptions;
  /**
   * Start this consumer when the app boots; overrides the module's `autoStart`. `false`: it
   * waits, `stopped`, for `MessageBusConsumers.start(name)`.
   */
  autoStart?: boolean;
}

/** How a Kafka consumer retries: see `KafkaConsumerOptions.retryMode`. */
export type KafkaRetryMode = 'blocking' | 'retry-topic';

/** A Kafka topic this app consumes, in a consumer group. */
export interface KafkaConsumerOptions {
  topic: string;
  /** Consumer group. Default `<topic>_consumer_group`, as the Python client does. */
  groupId?: string;
  /** Default `<topic>.dlq`. */
  deadLetterTopic?: string;
  retry?: RetryOptions;
  /**
   * What a failed attempt that gets another does to its partition:
   * - `'blocking'` (default): the partition waits for the retry, so per-key order holds. A
   *   retry delay up to `kafka.maxWaitTimeMs` is waited out in process, without a refetch;
   *   a longer one pauses the partition and fetches the message again after the delay.
   * - `'retry-topic'`: the message is copied to `retryTopic`, committed, and the partition
   *   goes on; the same consumer (same group) takes the copy back after its delay. Gives up
   *   per-key order for messages that fail.
   */
  retryMode?: KafkaRetryMode;
  /**
   * Where `retryMode: 'retry-topic'` puts failed messages until their retry. Default
   * `<topic>.retry`. Not created by the library, as `deadLetterTopic` is not: create it (or let
   * the broker auto-create it). Several groups of one topic may share it.
   */
  retryTopic?: string;
  /** Partitions processed at once. Default 10. */
  partitionsConcurrency?: number;
  /**
   * Group members this app runs for the topic, each a kafkajs consumer of its own; the group
   * spreads the partitions over them. Default 1. kafkajs fetches again only once every batch of
   * a member's last fetch is done, so a slow handler holds up new records for the member's
   * other partitions: with as many members as partitions, no partition waits for another.
   * Each member costs its own connections, heartbeats and fetches.
   */
  members?: number;
  /** Where a new group starts. Default true (earliest), as the Python client does. */
  fromBeginning?: boolean;
  /**
   * The group strategies this topic's members offer, most preferred first: 'range', 'roundrobin'
   * (as the Java, Rust and Python clients name and deal them) and 'kafkajs-roundrobin'. Default
   * `kafka.partitionAssigners`, itself by default all three in that order. Every member of the
   * group, whichever client it runs, must offer one of them.
   */
  partitionAssigners?: readonly KafkaPartitionAssigner[];
  /** What becomes of a valid message no handler takes, for this topic; overrides the module's `unhandled`. */
  unhandled?: UnhandledAction;
  /** Verify every message's service token on this topic; overrides the module's `verifyToken`. */
  verifyToken?: boolean;
  /**
   * Idempotent handling for this consumer's handlers: `true`/`false` switch the module's
   * `idempotency` on or off here; an object overrides its settings field by field.
   */
  idempotency?: boolean | IdempotencyOptions;
  /**
   * Start this consumer when the app boots; overrides the module's `autoStart`. `false`: it
   * waits, `stopped`, for `MessageBusConsumers.start(name)`.
   */
  autoStart?: boolean;
}

export interface ConsumersOptions {
  sqs?: SqsConsumerOptions[];
  kafka?: KafkaConsumerOptions[];
}
