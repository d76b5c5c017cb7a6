import type { ConnectionOptions } from 'node:tls';
import type { KafkaConfig, SASLOptions, logCreator as KafkaJsLogCreator } from 'kafkajs';
import { MessageBusConfigurationError } from '../../errors/message-bus-configuration.error';
import {
  optionalName,
  rejectUnknownKeys,
  wholeNumber,
  type OptionKeys,
} from '../../options/option-checks';
import type {
  KafkaClientOptions,
  KafkaLogLevel,
  KafkaPartitionAssigner,
  KafkaPartitioner,
  KafkaSaslMechanism,
  KafkaSecurityProtocol,
} from './kafka-client-options.interface';
import {
  KAFKA_DEFAULT_PARTITION_ASSIGNERS,
  resolvePartitionAssigners,
} from './assigners/kafka-partition-assigners';
import { toKafkaJsLogLevel } from './kafka-log-creator';
import { KAFKA_PARTITIONERS } from './kafka-partitioners';
import {
  KAFKA_DEFAULT_BOOTSTRAP_SERVERS,
  KAFKA_DEFAULT_CLIENT_ID,
  KAFKA_DEFAULT_CONNECTION_TIMEOUT_MS,
  KAFKA_DEFAULT_HEARTBEAT_INTERVAL_MS,
  KAFKA_DEFAULT_MAX_WAIT_TIME_MS,
  KAFKA_DEFAULT_RECEIVE_BUFFER_SIZE,
  KAFKA_DEFAULT_REQUEST_TIMEOUT_MS,
  KAFKA_DEFAULT_SASL_MECHANISM,
  KAFKA_DEFAULT_SECURITY_PROTOCOL,
  KAFKA_DEFAULT_SEND_RETRIES,
  KAFKA_DEFAULT_SESSION_TIMEOUT_MS,
  KAFKA_ENV_BOOTSTRAP_SERVERS,
  KAFKA_ENV_SASL_MECHANISM,
  KAFKA_ENV_SECURITY_PROTOCOL,
} from './kafka.constants';

export const KAFKA_SECURITY_PROTOCOLS: readonly KafkaSecurityProtocol[] = [
  'PLAINTEXT',
  'SSL',
  'SASL_PLAINTEXT',
  'SASL_SSL',
];
export const KAFKA_SASL_MECHANISMS: readonly KafkaSaslMechanism[] = [
  'PLAIN',
  'SCRAM-SHA-256',
  'SCRAM-SHA-512',
];
const LOG_LEVELS: readonly KafkaLogLevel[] = ['nothing', 'error', 'warn', 'info', 'debug'];

const KAFKAJS_MECHANISM = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
} as const satisfies Record<KafkaSaslMechanism, string>;

/** Which role a kafkajs client plays: each announces its own client id. */
export type KafkaClientRole = 'producer' | 'consumer' | 'admin';

type Env = Readonly<Record<string, string | undefined>>;

const KAFKA_CLIENT_OPTION_KEYS: OptionKeys<KafkaClientOptions> = {
  bootstrapServers: true,
  producerId: true,
  consumerId: true,
  securityProtocol: true,
  saslMechanism: true,
  userName: true,
  password: true,
  ssl: true,
  logLevel: true,
  logger: true,
  registry: true,
  connectionTimeoutMs: true,
  requestTimeoutMs: true,
  sendRetries: true,
  partitioner: true,
  partitionAssigners: true,
  sessionTimeoutMs: true,
  heartbeatIntervalMs: true,
  maxWaitTimeMs: true,
  receiveBufferSize: true,
};

/**
 * SASL user name and password. The password sits in a private field, so logging or
 * inspecting the settings never prints it; only building the kafkajs config reads it.
 */
export class KafkaSaslCredentials {
  readonly #password: string;

  constructor(
    readonly mechanism: KafkaSaslMechanism,
    readonly userName: string,
    password: string,
  ) {
    this.#password = password;
  }

  revealPassword(): string {
    return this.#password;
  }

  toJSON(): Record<string, string> {
    return { mechanism: this.mechanism, userName: this.userName, password: '[redacted]' };
  }
}

/** The settings a `KafkaClient` runs with, checked and with every default applied. */
export interface KafkaConnectionSettings {
  readonly brokers: readonly string[];
  readonly securityProtocol: KafkaSecurityProtocol;
  /** Set for the SASL protocols only. */
  readonly sasl?: KafkaSaslCredentials;
  /** `false` for the plaintext protocols; `true` or Node TLS options for SSL and SASL_SSL. */
  readonly ssl: boolean | ConnectionOptions;
  readonly producerId: string;
  readonly consumerId: string;
  readonly logLevel: KafkaLogLevel;
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly sendRetries: number;
  readonly partitioner: KafkaPartitioner;
  /** What each consumer offers its group unless its own `partitionAssigners` is set. */
  readonly partitionAssigners: readonly KafkaPartitionAssigner[];
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxWaitTimeMs: number;
  readonly receiveBufferSize: number;
}

/**
 * Checks the options and applies the defaults, with the Python client's fallbacks on the
 * environment. Throws `MessageBusConfigurationError` naming the setting, at construction,
 * so that a wrong setting never waits for the first send to show.
 */
export function resolveKafkaConnectionSettings(
  options: KafkaClientOptions = {},
  env: Env = process.env,
): KafkaConnectionSettings {
  if (options === null || typeof options !== 'object') {
    throw new MessageBusConfigurationError(
      'kafka',
      'must be an options object (it may be empty: every setting has a default)',
    );
  }
  rejectUnknownKeys(options, KAFKA_CLIENT_OPTION_KEYS, 'kafka');
  const brokers = resolveBrokers(options.bootstrapServers, env);
  const protocol = resolveChoice(
    options.securityProtocol,
    env[KAFKA_ENV_SECURITY_PROTOCOL],
    KAFKA_DEFAULT_SECURITY_PROTOCOL,
    KAFKA_SECURITY_PROTOCOLS,
    'kafka.securityProtocol',
    KAFKA_ENV_SECURITY_PROTOCOL,
  );
  const usesSasl = protocol.value.startsWith('SASL_');
  const usesTls = protocol.value.endsWith('SSL');

  let sasl: KafkaSaslCredentials | undefined;
  if (usesSasl) {
    const mechanism = resolveChoice(
      options.saslMechanism,
      env[KAFKA_ENV_SASL_MECHANISM],
      KAFKA_DEFAULT_SASL_MECHANISM,
      KAFKA_SASL_MECHANISMS,
      'kafka.saslMechanism',
      KAFKA_ENV_SASL_MECHANISM,
      ' (kafkajs supports no other mechanism with a user name and password)',
    );
    const why = `is required when kafka.securityProtocol is ${protocol.value}${protocol.origin}`;
    const fix =
      'pass kafka.userName and kafka.password, or choose PLAINTEXT or SSL for a broker without SASL';
    sasl = new KafkaSaslCredentials(
      mechanism.value,
      requireSecretLike(options.userName, 'kafka.userName', why, fix),
      requireSecretLike(options.password, 'kafka.password', why, fix),
    );
  }

  return {
    brokers,
    securityProtocol: protocol.value,
    sasl,
    ssl: resolveSsl(options.ssl, protocol.value, usesTls),
    producerId: resolveClientId(options.producerId, 'kafka.producerId'),
    consumerId: resolveClientId(options.consumerId, 'kafka.consumerId'),
    logLevel: resolveLogLevel(options.logLevel),
    connectionTimeoutMs: resolveInteger(
      options.connectionTimeoutMs,
      'kafka.connectionTimeoutMs',
      KAFKA_DEFAULT_CONNECTION_TIMEOUT_MS,
      1,
    ),
    requestTimeoutMs: resolveInteger(
      options.requestTimeoutMs,
      'kafka.requestTimeoutMs',
      KAFKA_DEFAULT_REQUEST_TIMEOUT_MS,
      1,
    ),
    sendRetries: resolveInteger(
      options.sendRetries,
      'kafka.sendRetries',
      KAFKA_DEFAULT_SEND_RETRIES,
      1,
    ),
    partitioner: resolvePartitioner(options.partitioner),
    partitionAssigners:
      resolvePartitionAssigners(options.partitionAssigners, 'kafka.partitionAssigners') ??
      KAFKA_DEFAULT_PARTITION_ASSIGNERS,
    ...resolveGroupTimings(options),
    maxWaitTimeMs: resolveInteger(
      options.maxWaitTimeMs,
      'kafka.maxWaitTimeMs',
      KAFKA_DEFAULT_MAX_WAIT_TIME_MS,
      1,
    ),
    receiveBufferSize: resolveInteger(
      options.receiveBufferSize,
      'kafka.receiveBufferSize',
      KAFKA_DEFAULT_RECEIVE_BUFFER_SIZE,
      1,
    ),
  };
}

/**
 * `"a:9092"`, `"a:9092,b:9092"` or an array of either, as `host:port` strings; blanks
 * around commas are dropped. Throws naming `setting` when an entry is not `host:port`.
 */
export function parseBootstrapServers(value: string | readonly string[], origin = ''): string[] {
  const setting = 'kafka.bootstrapServers';
  const entries = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(entries) || entries.some((entry) => typeof entry !== 'string')) {
    throw new MessageBusConfigurationError(
      setting,
      'must be a "host:port" string, a comma-separated list of them, or an array of them',
    );
  }
  const brokers = entries
    .flatMap((entry) => entry.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (brokers.length === 0) {
    throw new MessageBusConfigurationError(
      setting,
      `${origin}lists no broker: give at least one "host:port", e.g. "localhost:9092"`,
    );
  }
  for (const broker of brokers) {
    const match = /^([^\s:/]+|\[[0-9a-fA-F:.]+\]):(\d{1,5})$/.exec(broker);
    const port = match ? Number(match[2]) : 0;
    if (!match || port < 1 || port > 65_535) {
      throw new MessageBusConfigurationError(
        setting,
        `${origin}has "${broker}", which is not "host:port" (e.g. "kafka-1.internal:9092")`,
      );
    }
  }
  return brokers;
}

/**
 * The kafkajs config for one role. A fresh object each time, so a caller may adjust it
 * (e.g. the consumer runtime) without touching the client's own.
 */
export function toKafkaJsConfig(
  settings: KafkaConnectionSettings,
  role: KafkaClientRole,
  logCreator: KafkaJsLogCreator,
): KafkaConfig {
  const config: KafkaConfig = {
    clientId: role === 'consumer' ? settings.consumerId : settings.producerId,
    brokers: [...settings.brokers],
    ssl: typeof settings.ssl === 'object' ? { ...settings.ssl } : settings.ssl,
    connectionTimeout: settings.connectionTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    logLevel: toKafkaJsLogLevel(settings.logLevel),
    logCreator,
  };
  if (settings.sasl) config.sasl = toKafkaJsSasl(settings.sasl);
  return config;
}

function toKafkaJsSasl(credentials: KafkaSaslCredentials): SASLOptions {
  return {
    mechanism: KAFKAJS_MECHANISM[credentials.mechanism],
    username: credentials.userName,
    password: credentials.revealPassword(),
  };
}

function resolveBrokers(option: string | readonly string[] | undefined, env: Env): string[] {
  if (option !== undefined && option !== null) return parseBootstrapServers(option);
  const fromEnv = env[KAFKA_ENV_BOOTSTRAP_SERVERS]?.trim();
  if (fromEnv)
    return parseBootstrapServers(fromEnv, `(unset, so read from ${KAFKA_ENV_BOOTSTRAP_SERVERS}) `);
  return [KAFKA_DEFAULT_BOOTSTRAP_SERVERS];
}

/** An option, else an environment variable, else the default; upper-cased, so `sasl_ssl` is fine. */
function resolveChoice<T extends string>(
  option: string | undefined,
  fromEnv: string | undefined,
  fallback: T,
  allowed: readonly T[],
  setting: string,
  envName: string,
  note = '',
): { value: T; origin: string } {
  const [raw, origin] =
    option !== undefined && option !== null
      ? [option, '']
      : fromEnv !== undefined && fromEnv.trim() !== ''
        ? [fromEnv, ` (from ${envName})`]
        : [fallback, ' (the default)'];
  const value = typeof raw === 'string' ? raw.trim().toUpperCase() : raw;
  if (!allowed.includes(value as T)) {
    throw new MessageBusConfigurationError(
      setting,
      `${origin ? `${origin.trim()} ` : ''}is "${String(raw)}", which is not one of ${allowed.join(', ')}${note}`,
    );
  }
  return { value: value as T, origin };
}

function requireSecretLike(value: unknown, setting: string, why: string, fix: string): string {
  if (value === undefined || value === null || value === '') {
    throw new MessageBusConfigurationError(setting, `${why}: ${fix}`);
  }
  if (typeof value !== 'string') {
    // The value itself stays out of the message: it may be the password.
    throw new MessageBusConfigurationError(setting, `must be a string, got a ${typeof value}`);
  }
  return value;
}

function resolveSsl(
  option: boolean | ConnectionOptions | undefined,
  protocol: KafkaSecurityProtocol,
  usesTls: boolean,
): boolean | ConnectionOptions {
  if (
    option !== undefined &&
    option !== null &&
    typeof option !== 'boolean' &&
    (typeof option !== 'object' || Array.isArray(option))
  ) {
    throw new MessageBusConfigurationError(
      'kafka.ssl',
      'must be true, false, or Node TLS options such as { ca: [pem] }',
    );
  }
  if (usesTls) {
    if (option === false) {
      throw new MessageBusConfigurationError(
        'kafka.ssl',
        `is false but kafka.securityProtocol ${protocol} needs TLS: leave kafka.ssl unset, or use ${protocol === 'SSL' ? 'PLAINTEXT' : 'SASL_PLAINTEXT'} for a plaintext listener`,
      );
    }
    return option === undefined || option === null || option === true ? true : { ...option };
  }
  if (option !== undefined && option !== null && option !== false) {
    throw new MessageBusConfigurationError(
      'kafka.ssl',
      `is set but kafka.securityProtocol is ${protocol}, which does not use TLS: use ${protocol === 'PLAINTEXT' ? 'SSL' : 'SASL_SSL'} for a TLS listener, or drop kafka.ssl`,
    );
  }
  return false;
}

function resolveClientId(value: string | undefined, setting: string): string {
  if (value === null) return KAFKA_DEFAULT_CLIENT_ID;
  return (
    optionalName(value, setting, ' (the client id the brokers see)') ?? KAFKA_DEFAULT_CLIENT_ID
  );
}

function resolveLogLevel(value: KafkaLogLevel | undefined): KafkaLogLevel {
  if (value === undefined || value === null) return 'error';
  if (!LOG_LEVELS.includes(value)) {
    throw new MessageBusConfigurationError(
      'kafka.logLevel',
      `is "${String(value)}", which is not one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  return value;
}

function resolvePartitioner(value: KafkaPartitioner | undefined): KafkaPartitioner {
  if (value === undefined || value === null) return KAFKA_PARTITIONERS[0];
  if (!KAFKA_PARTITIONERS.includes(value)) {
    throw new MessageBusConfigurationError(
      'kafka.partitioner',
      `is ${JSON.stringify(value) ?? typeof value}, which is not 'murmur2' (the Java and Python clients' placement, the default) or 'crc32' (librdkafka's consistent_random, the Rust client's)`,
    );
  }
  return value;
}

function resolveInteger(
  value: number | undefined,
  setting: string,
  fallback: number,
  min: number,
): number {
  if (value === undefined || value === null) return fallback;
  return wholeNumber(value, setting, min);
}

function resolveGroupTimings(options: KafkaClientOptions): {
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
} {
  const sessionTimeoutMs = resolveInteger(
    options.sessionTimeoutMs,
    'kafka.sessionTimeoutMs',
    KAFKA_DEFAULT_SESSION_TIMEOUT_MS,
    1,
  );
  const heartbeatIntervalMs = resolveInteger(
    options.heartbeatIntervalMs,
    'kafka.heartbeatIntervalMs',
    KAFKA_DEFAULT_HEARTBEAT_INTERVAL_MS,
    1,
  );
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw new MessageBusConfigurationError(
      'kafka.heartbeatIntervalMs',
      `(${heartbeatIntervalMs}) must be below kafka.sessionTimeoutMs (${sessionTimeoutMs}); about a third of it is usual`,
    );
  }
  return { sessionTimeoutMs, heartbeatIntervalMs };
}
