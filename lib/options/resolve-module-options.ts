import { RetryPolicy } from '../dispatch/retry-policy';
import {
  DEFAULT_UNHANDLED_POLICY,
  type UnhandledAction,
  type UnhandledPolicy,
} from '../dispatch/unhandled-policy';
import { resolveIdempotency, type IdempotencyPolicy } from '../idempotency/idempotency-policy';
import { resolveTelemetry } from '../telemetry/resolve-telemetry';
import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import type {
  KafkaConsumerOptions,
  KafkaRetryMode,
  SqsConsumerOptions,
} from '../interfaces/consumer-options.interface';
import type { MessageBusModuleOptions } from '../interfaces/message-bus-module-options.interface';
import { TRANSPORT_NAMES, type TransportName } from '../interfaces/transport-name';
import { resolvePartitionAssigners } from '../transports/kafka/assigners/kafka-partition-assigners';
import { resolveTokenVerification } from '../trust/resolve-token-verification';
import { STARTUP_POLICIES, type StartupPolicy } from '../interfaces/startup-policy';
import {
  DEFAULT_SQS_CONCURRENCY,
  DEFAULT_STARTUP_POLICY,
  defaultDeadLetterDestination,
  defaultSqsPollers,
  defaultKafkaGroupId,
  defaultKafkaRetryTopic,
} from './consumer-defaults';
import {
  CONSUMERS_OPTION_KEYS,
  KAFKA_CONSUMER_OPTION_KEYS,
  MODULE_OPTION_KEYS,
  RETRY_OPTION_KEYS,
  SQS_CONSUMER_OPTION_KEYS,
} from './module-option-keys';
import {
  isNonBlank,
  optionalChoice,
  optionalFlag,
  optionalName,
  rejectUnknownKeys,
  requiredName,
  wholeNumber,
} from './option-checks';
import type {
  ResolvedKafkaConsumer,
  ResolvedMessageBusOptions,
  ResolvedSqsConsumer,
} from './resolved-options';

const UNHANDLED_ACTIONS: readonly UnhandledAction[] = ['acknowledge', 'dead-letter'];

/**
 * Checks the module options once, at start-up, and fills in defaults. Every problem is a
 * `MessageBusConfigurationError` whose one sentence names the setting.
 */
export function resolveModuleOptions(
  options: MessageBusModuleOptions | undefined | null,
  override?: Partial<MessageBusModuleOptions> | null,
): ResolvedMessageBusOptions {
  if (typeof options !== 'object' || options === null) {
    throw new MessageBusConfigurationError(
      'MessageBusModule options',
      'must be an object; pass them to forRoot() or return them from the forRootAsync() factory',
    );
  }
  const merged: MessageBusModuleOptions = { ...options, ...(override ?? {}) };
  rejectUnknownKeys(merged, MODULE_OPTION_KEYS, '');
  rejectUnknownKeys(merged.consumers, CONSUMERS_OPTION_KEYS, 'consumers');
  rejectClientRegistry(merged);
  const transport = resolveTransport(merged);
  const onMemory = transport === 'memory';
  const unhandled = resolveUnhandled(merged.unhandled, 'unhandled', DEFAULT_UNHANDLED_POLICY);
  const verifyToken = optionalFlag(merged.verifyToken, 'verifyToken') ?? false;

  const idempotency = resolveIdempotency(merged.idempotency, 'idempotency');
  const startup =
    optionalChoice(merged.startup, STARTUP_POLICIES, 'startup') ?? DEFAULT_STARTUP_POLICY;
  const consume = optionalFlag(merged.consume, 'consume') ?? true;
  const autoStart = optionalFlag(merged.autoStart, 'autoStart') ?? true;
  const moduleDefaults: ModuleDeliveryDefaults = {
    unhandled,
    verifyToken,
    idempotency,
    startup,
    autoStart,
  };

  const sqsConsumers = list(merged.consumers?.sqs, 'consumers.sqs').map((consumer, index) =>
    resolveSqsConsumer(consumer, `consumers.sqs[${index}]`, moduleDefaults),
  );
  const kafkaConsumers = list(merged.consumers?.kafka, 'consumers.kafka').map((consumer, index) =>
    resolveKafkaConsumer(consumer, `consumers.kafka[${index}]`, moduleDefaults),
  );
  if (!onMemory && sqsConsumers.length > 0)
    requireSection(merged.sqs, 'sqs', 'consumers.sqs lists queues');
  if (!onMemory && kafkaConsumers.length > 0)
    requireSection(merged.kafka, 'kafka', 'consumers.kafka lists topics');
  if (merged.sqs !== undefined) requireSection(merged.sqs, 'sqs', 'it is set');
  if (merged.kafka !== undefined) requireSection(merged.kafka, 'kafka', 'it is set');
  rejectDuplicates(
    sqsConsumers.map((c) => c.queue),
    'consumers.sqs',
    'queue',
  );
  sqsConsumers.forEach((c, index) =>
    rejectSelfDeadLetter(c.queue, c.deadLetterQueue, `consumers.sqs[${index}].deadLetterQueue`),
  );
  kafkaConsumers.forEach((c, index) =>
    rejectSelfDeadLetter(c.topic, c.deadLetterTopic, `consumers.kafka[${index}].deadLetterTopic`),
  );
  rejectDuplicates(
    kafkaConsumers.map((c) => `${c.topic}|${c.groupId}`),
    'consumers.kafka',
    'topic and groupId',
  );

  const shutdownTimeoutMs = merged.shutdownTimeoutMs ?? 30_000;
  if (!Number.isFinite(shutdownTimeoutMs) || shutdownTimeoutMs < 0) {
    throw new MessageBusConfigurationError(
      'shutdownTimeoutMs',
      'must be a number of milliseconds, 0 or more',
    );
  }

  const onConsumerFailure = merged.onConsumerFailure ?? 'keep-running';
  if (onConsumerFailure !== 'keep-running' && onConsumerFailure !== 'exit') {
    throw new MessageBusConfigurationError(
      'onConsumerFailure',
      `must be 'keep-running' or 'exit' (got ${JSON.stringify(onConsumerFailure)})`,
    );
  }

  const tokenVerification =
    merged.tokenVerification === undefined
      ? undefined
      : resolveTokenVerification(merged.tokenVerification);
  if (tokenVerification === undefined) {
    const asked = [
      verifyToken ? 'verifyToken' : undefined,
      ...sqsConsumers.map((c, i) =>
        c.verifyToken ? `consumers.sqs[${i}].verifyToken` : undefined,
      ),
      ...kafkaConsumers.map((c, i) =>
        c.verifyToken ? `consumers.kafka[${i}].verifyToken` : undefined,
      ),
    ].find((setting) => setting !== undefined);
    if (asked !== undefined) {
      throw new MessageBusConfigurationError(
        asked,
        'needs tokenVerification: say how tokens are verified',
      );
    }
  }
  const serviceToken = merged.serviceToken;
  if (
    serviceToken !== undefined &&
    typeof serviceToken !== 'function' &&
    !isNonBlank(serviceToken)
  ) {
    throw new MessageBusConfigurationError(
      'serviceToken',
      'must be a non-blank string or a function returning one (sync or async)',
    );
  }

  return {
    transport,
    sqs: merged.sqs,
    kafka: merged.kafka,
    sqsConsumers,
    kafkaConsumers,
    messageTypes: list(merged.messageTypes, 'messageTypes'),
    unhandled,
    idempotency,
    consume,
    autoStart,
    shutdownTimeoutMs,
    onConsumerFailure,
    startup,
    ...(tokenVerification === undefined ? {} : { tokenVerification }),
    verifyToken,
    ...(serviceToken === undefined ? {} : { serviceToken }),
    telemetry: resolveTelemetry(merged.telemetry),
  };
}

function resolveTransport(options: MessageBusModuleOptions): TransportName {
  if (options.transport !== undefined) {
    if (!TRANSPORT_NAMES.includes(options.transport)) {
      throw new MessageBusConfigurationError(
        'transport',
        `must be one of ${TRANSPORT_NAMES.join(', ')} (got "${String(options.transport)}")`,
      );
    }
    if (options.transport !== 'memory')
      requireSection(
        options[options.transport],
        options.transport,
        `transport is "${options.transport}"`,
      );
    return options.transport;
  }
  if (options.sqs && !options.kafka) return 'sqs';
  if (options.kafka && !options.sqs) return 'kafka';
  throw new MessageBusConfigurationError(
    'transport',
    options.sqs
      ? 'is required when both sqs and kafka are configured: say which one MessageBusPublisher uses by default'
      : 'is required: configure sqs or kafka, or set transport to "memory" for an in-process bus',
  );
}

function resolveSqsConsumer(
  consumer: SqsConsumerOptions,
  setting: string,
  moduleDefaults: ModuleDeliveryDefaults,
): ResolvedSqsConsumer {
  rejectUnknownKeys(consumer, SQS_CONSUMER_OPTION_KEYS, setting);
  const queue = requiredName(consumer?.queue, `${setting}.queue`);
  const concurrency = wholeNumber(
    consumer.concurrency ?? DEFAULT_SQS_CONCURRENCY,
    `${setting}.concurrency`,
    1,
    10_000,
  );
  return {
    queue,
    deadLetterQueue: optionalName(consumer.deadLetterQueue, `${setting}.deadLetterQueue`),
    ...resolveDeliverySettings(consumer, setting, moduleDefaults),
    concurrency,
    waitTimeSeconds: wholeNumber(
      consumer.waitTimeSeconds ?? 20,
      `${setting}.waitTimeSeconds`,
      0,
      20,
    ),
    visibilityTimeout: wholeNumber(
      consumer.visibilityTimeout ?? 30,
      `${setting}.visibilityTimeout`,
      1,
      43_200,
    ),
    pollers: wholeNumber(
      consumer.pollers ?? defaultSqsPollers(concurrency),
      `${setting}.pollers`,
      1,
      100,
    ),
  };
}

function resolveKafkaConsumer(
  consumer: KafkaConsumerOptions,
  setting: string,
  moduleDefaults: ModuleDeliveryDefaults,
): ResolvedKafkaConsumer {
  rejectUnknownKeys(consumer, KAFKA_CONSUMER_OPTION_KEYS, setting);
  const topic = requiredName(consumer?.topic, `${setting}.topic`);
  const deadLetterTopic =
    optionalName(consumer.deadLetterTopic, `${setting}.deadLetterTopic`) ??
    defaultDeadLetterDestination(topic);
  return {
    topic,
    groupId: optionalName(consumer.groupId, `${setting}.groupId`) ?? defaultKafkaGroupId(topic),
    deadLetterTopic,
    ...resolveKafkaRetryMode(consumer, setting, topic, deadLetterTopic),
    ...resolveDeliverySettings(consumer, setting, moduleDefaults),
    partitionsConcurrency: wholeNumber(
      consumer.partitionsConcurrency ?? 10,
      `${setting}.partitionsConcurrency`,
      1,
      10_000,
    ),
    members: wholeNumber(consumer.members ?? 1, `${setting}.members`, 1, 64),
    fromBeginning: consumer.fromBeginning ?? true,
    partitionAssigners: resolvePartitionAssigners(
      consumer.partitionAssigners,
      `${setting}.partitionAssigners`,
    ),
  };
}

const KAFKA_RETRY_MODES: readonly KafkaRetryMode[] = ['blocking', 'retry-topic'];

/** `retryMode`, default `'blocking'`, and with `'retry-topic'` the retry topic, default `<topic>.retry`. */
function resolveKafkaRetryMode(
  consumer: KafkaConsumerOptions,
  setting: string,
  topic: string,
  deadLetterTopic: string,
): Pick<ResolvedKafkaConsumer, 'retryMode' | 'retryTopic'> {
  const retryMode =
    optionalChoice(consumer.retryMode, KAFKA_RETRY_MODES, `${setting}.retryMode`) ?? 'blocking';
  const given = optionalName(consumer.retryTopic, `${setting}.retryTopic`);
  if (retryMode !== 'retry-topic') {
    if (given !== undefined) {
      throw new MessageBusConfigurationError(
        `${setting}.retryTopic`,
        `is used only with retryMode 'retry-topic': set ${setting}.retryMode to 'retry-topic' or remove retryTopic`,
      );
    }
    return { retryMode };
  }
  const retryTopic = given ?? defaultKafkaRetryTopic(topic);
  if (retryTopic === topic || retryTopic === deadLetterTopic) {
    throw new MessageBusConfigurationError(
      `${setting}.retryTopic`,
      `must differ from the topic and its deadLetterTopic (got "${retryTopic}"): give retries a topic of their own`,
    );
  }
  return { retryMode, retryTopic };
}

/** The module-wide settings a consumer's own delivery settings fall back on. */
interface ModuleDeliveryDefaults {
  readonly unhandled: UnhandledPolicy;
  readonly verifyToken: boolean;
  readonly idempotency: IdempotencyPolicy;
  readonly startup: StartupPolicy;
  readonly autoStart: boolean;
}

/** What SQS and Kafka consumers both decide per delivery (retries, unhandled, tokens, idempotency), and whether they start at boot. */
function resolveDeliverySettings(
  consumer: SqsConsumerOptions | KafkaConsumerOptions,
  setting: string,
  moduleDefaults: ModuleDeliveryDefaults,
): Pick<
  ResolvedSqsConsumer,
  'retry' | 'unhandled' | 'verifyToken' | 'idempotency' | 'startup' | 'autoStart'
> {
  return {
    retry: resolveRetry(consumer.retry, `${setting}.retry`),
    unhandled: resolveUnhandled(
      consumer.unhandled,
      `${setting}.unhandled`,
      moduleDefaults.unhandled,
    ),
    verifyToken:
      optionalFlag(consumer.verifyToken, `${setting}.verifyToken`) ?? moduleDefaults.verifyToken,
    idempotency: resolveIdempotency(
      consumer.idempotency,
      `${setting}.idempotency`,
      moduleDefaults.idempotency,
    ),
    startup: moduleDefaults.startup,
    autoStart: optionalFlag(consumer.autoStart, `${setting}.autoStart`) ?? moduleDefaults.autoStart,
  };
}

function list<T>(value: T[] | undefined, setting: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new MessageBusConfigurationError(setting, 'must be an array');
  return value;
}

function requireSection(section: unknown, setting: string, because: string): void {
  if (typeof section !== 'object' || section === null) {
    throw new MessageBusConfigurationError(setting, `must be an options object because ${because}`);
  }
}

function resolveRetry(retry: SqsConsumerOptions['retry'], setting: string): RetryPolicy {
  rejectUnknownKeys(retry, RETRY_OPTION_KEYS, setting);
  return new RetryPolicy(retry, setting);
}

/** A set value applies to both kinds; unset falls back on the level above. */
function resolveUnhandled(
  value: unknown,
  setting: string,
  fallback: UnhandledPolicy,
): UnhandledPolicy {
  const action = optionalChoice(value, UNHANDLED_ACTIONS, setting);
  return action === undefined ? fallback : { instruction: action, event: action };
}

/** The module hands its own registry, built from `messageTypes`, to the clients it creates. */
function rejectClientRegistry(options: MessageBusModuleOptions): void {
  for (const section of ['sqs', 'kafka'] as const) {
    if (options[section]?.registry !== undefined) {
      throw new MessageBusConfigurationError(
        `${section}.registry`,
        'is set by MessageBusModule from its messageTypes option: drop it and list your types in messageTypes',
      );
    }
  }
}

function rejectDuplicates(keys: string[], setting: string, what: string): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) {
      throw new MessageBusConfigurationError(
        setting,
        `lists the same ${what} twice ("${key.replace('|', '" in group "')}")`,
      );
    }
    seen.add(key);
  }
}

function rejectSelfDeadLetter(
  source: string,
  deadLetter: string | undefined,
  setting: string,
): void {
  if (deadLetter === source) {
    throw new MessageBusConfigurationError(
      setting,
      `must differ from the source "${source}": dead letters would come straight back`,
    );
  }
}
