import type { ConnectionOptions } from 'node:tls';
import type { MessageTypeRegistry } from '../../message/message-type-registry';

/** The security protocols of the Python client (Kafka's `security.protocol`). */
export type KafkaSecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';

/** The SASL mechanisms kafkajs speaks with a user name and password. */
export type KafkaSaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/**
 * How the producer places a keyed message: `murmur2` as the Java client and the Python client
 * (kafka-python) do, `crc32` as librdkafka's default `consistent_random` does (the Rust client).
 */
export type KafkaPartitioner = 'murmur2' | 'crc32';

/**
 * A consumer group strategy a consumer offers, by the protocol name other clients know:
 * `range` and `roundrobin` are the Java client's `RangeAssignor` and `RoundRobinAssignor`
 * (librdkafka and kafka-python name and deal them alike); `kafkajs-roundrobin` is kafkajs's own
 * `RoundRobinAssigner`, which no other client offers.
 */
export type KafkaPartitionAssigner = 'range' | 'roundrobin' | 'kafkajs-roundrobin';

/** How much of kafkajs's own logging reaches the log sink. */
export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

/**
 * Where kafkajs log lines go. Shaped so that a console, or a thin adapter over a Nest
 * `Logger`, fits. `context` never holds credentials: they are redacted before it is built.
 */
export interface KafkaLogSink {
  error(message: string, context?: Readonly<Record<string, unknown>>): void;
  warn(message: string, context?: Readonly<Record<string, unknown>>): void;
  info(message: string, context?: Readonly<Record<string, unknown>>): void;
  debug(message: string, context?: Readonly<Record<string, unknown>>): void;
}

/** Options of `new KafkaClient(...)`; the setting names in errors are these, prefixed with `kafka.`. */
export interface KafkaClientOptions {
  /**
   * `"host:9092"`, `"a:9092,b:9092"` or `["a:9092", "b:9092"]`.
   * Defaults to `KAFKA_BOOTSTRAP_SERVERS`, then `localhost:9092`.
   */
  bootstrapServers?: string | readonly string[];
  /** Client id the producer announces to the brokers (quotas, broker logs). Default `nestjs-message-bus`. */
  producerId?: string;
  /** Client id every consumer announces. Default `nestjs-message-bus`. */
  consumerId?: string;
  /**
   * Applies to the producer and every consumer. Defaults to `KAFKA_API_PROTOCOL`, then
   * `SASL_SSL`, as the Python client does: a client with no settings at all refuses to
   * talk to a broker without credentials rather than silently going plaintext.
   */
  securityProtocol?: KafkaSecurityProtocol | string;
  /** Defaults to `KAFKA_API_SASL_MECHANISM`, then `PLAIN`. Ignored by PLAINTEXT and SSL. */
  saslMechanism?: KafkaSaslMechanism | string;
  /** Required by the SASL protocols. */
  userName?: string;
  /** Required by the SASL protocols. Never logged, never put in an error. */
  password?: string;
  /**
   * TLS for `SSL` and `SASL_SSL`: `true` (the default for them) trusts the system CAs; Node TLS
   * options such as `{ ca: [pem] }` trust a private CA. Must be unset or `false` for the plaintext protocols.
   */
  ssl?: boolean | ConnectionOptions;
  /** Default `error`: kafkajs's own info lines are noise to an application. */
  logLevel?: KafkaLogLevel;
  /**
   * Default: Nest's `Logger` with context `KafkaJS` (`NestKafkaLogSink`), so the lines go through
   * the app's logger; kafkajs's info is Nest's `log`. `new NestKafkaLogSink(logger)` wraps another
   * Nest `LoggerService`; `consoleKafkaLogSink` writes to the console.
   */
  logger?: KafkaLogSink;
  /** Where received envelopes' payload classes are looked up; `defaultMessageTypeRegistry` by default. */
  registry?: MessageTypeRegistry;
  /** Milliseconds to wait for a TCP (and TLS) connection to a broker. Default 3000. */
  connectionTimeoutMs?: number;
  /** Milliseconds to wait for a broker's answer to one request. Default 30000. */
  requestTimeoutMs?: number;
  /**
   * Retries of a failed send before it is reported. Default 5. kafkajs would retry an
   * idempotent producer forever; a bounded send surfaces an outage to the caller instead.
   */
  sendRetries?: number;
  /**
   * Which hash picks a keyed message's partition; match the peers producing to the same
   * topics, so that one key keeps one partition (and its order) whoever writes it. `murmur2`
   * (the default) places keys as the Java client and the Python client do; `crc32` as
   * librdkafka's default `consistent_random`, hence the Rust client. Unkeyed messages are
   * spread over the partitions either way.
   */
  partitioner?: KafkaPartitioner;
  /**
   * The group strategies every consumer of this client offers, most preferred first, unless its
   * `consumers.kafka[].partitionAssigners` says otherwise; `receiveMessage` uses these. Default
   * `['range', 'roundrobin', 'kafkajs-roundrobin']`: the first two are what the Java, Rust
   * (librdkafka) and Python (kafka-python) clients offer by default, so a group shared with them
   * agrees on `range`; the last lets a member of an earlier version of this library (which
   * offers only kafkajs's `RoundRobinAssigner`) share a group with this one during an upgrade.
   * Every member of a group must offer at least one strategy in common.
   */
  partitionAssigners?: readonly KafkaPartitionAssigner[];
  /** Consumer group session timeout in milliseconds. Default 30000. */
  sessionTimeoutMs?: number;
  /** Consumer heartbeat interval in milliseconds; below a third of `sessionTimeoutMs`. Default 3000. */
  heartbeatIntervalMs?: number;
  /**
   * Longest a consumer's fetch waits on the broker for new data, in milliseconds. Also bounds
   * how long `close()` and resuming a paused partition take. Default 500.
   */
  maxWaitTimeMs?: number;
  /** Messages each (topic, group) consumer reads ahead of `receiveMessage`. Default 256. */
  receiveBufferSize?: number;
}
