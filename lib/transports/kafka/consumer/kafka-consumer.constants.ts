/**
 * Longest a partition's finished messages wait for a commit while its batch is still being
 * worked through. A batch always commits when it ends; this bounds what a crash in the middle
 * of a long batch delivers again.
 */
export const KAFKA_COMMIT_INTERVAL_MS = 1_000;

/** First delay before publishing to a dead-letter topic again after the publish failed. */
export const KAFKA_DEAD_LETTER_RETRY_INITIAL_MS = 500;
/** Longest delay between two attempts to publish to a dead-letter topic. */
export const KAFKA_DEAD_LETTER_RETRY_MAX_MS = 30_000;

/**
 * kafkajs's own retries of fetches, joins and commits (and of the restart after a crash). Its
 * default cap of 30 s would leave a consumer idle for half a minute after its broker came back.
 */
export const KAFKA_CONSUMER_RETRY = {
  initialRetryTime: 300,
  maxRetryTime: 5_000,
  retries: 5,
} as const;

/**
 * Waits between tries to reach Kafka at start-up with `startup: 'keep-retrying'`, each try
 * itself being kafkajs's connect with its own retries: short enough that a consumer starts
 * soon after its broker comes up, long enough not to hammer a broker that is down.
 */
export const KAFKA_STARTUP_RETRY_INITIAL_MS = 1_000;
export const KAFKA_STARTUP_RETRY_MAX_MS = 30_000;
/** A consumer still waiting for its broker at start-up says so again every this many tries. */
export const KAFKA_STARTUP_RETRY_LOG_EVERY = 10;

/**
 * Headers a dead-lettered record carries next to its original key, value and headers: why it
 * failed and where it came from, so that it can be inspected and replayed.
 */
export const KAFKA_DEAD_LETTER_HEADERS = {
  /** `describeFailure(outcome)`, bounded: the rejection reason or `handler-error`, and the error's message. */
  reason: 'bus-reason',
  originalTopic: 'bus-original-topic',
  originalPartition: 'bus-original-partition',
  originalOffset: 'bus-original-offset',
  consumerGroup: 'bus-consumer-group',
  /** Deliveries to the handler in this process, the last one included. */
  attempts: 'bus-attempts',
  /** ISO 8601 time the message was given up on. */
  failedAt: 'bus-failed-at',
} as const;

/** Headers a truncated dead letter carries besides `KAFKA_DEAD_LETTER_HEADERS`. */
export const KAFKA_TRUNCATED_DEAD_LETTER_HEADERS = {
  /**
   * `true` on a dead letter whose original was too large to publish with these headers: its
   * value is only the start of the original's, and the original's own headers are left out.
   * The original stays at `bus-original-topic` / `-partition` / `-offset` until retention.
   */
  truncated: 'bus-truncated',
  /** On a truncated dead letter: the original value's size in bytes. */
  originalSize: 'bus-original-size',
} as const;

/** The broker's default `message.max.bytes`: assumed when a topic's own limit cannot be read. */
export const KAFKA_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;
