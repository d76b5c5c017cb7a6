import { RetryPolicy } from '../dispatch/retry-policy';
import {
  DEFAULT_UNHANDLED_POLICY,
  type UnhandledAction,
  type UnhandledPolicy,
} from '../dispatch/unhandled-policy';
import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import type {
  KafkaConsumerOptions,
  SqsConsumerOptions,
} from '../interfaces/consumer-options.interface';
import type { MessageBusModuleOptions } from '../interfaces/message-bus-module-options.interface';
import { TRANSPORT_NAMES, type TransportName } from '../interfaces/transport-name';
import type {
  ResolvedKafkaConsumer,
  ResolvedMessageBusOptions,
  ResolvedSqsConsumer,
} from './resolved-options';

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
  const transport = resolveTransport(merged);
  const onMemory = transport === 'memory';

  const moduleUnhandled = unhandledAction(merged.unhandled, 'unhandled');
  const sqsConsumers = list(merged.consumers?.sqs, 'consumers.sqs').map((consumer, index) =>
    resolveSqsConsumer(consumer, `consumers.sqs[${index}]`, moduleUnhandled),
  );
  const kafkaConsumers = list(merged.consumers?.kafka, 'consumers.kafka').map((consumer, index) =>
    resolveKafkaConsumer(consumer, `consumers.kafka[${index}]`, moduleUnhandled),
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

  return {
    transport,
    sqs: merged.sqs,
    kafka: merged.kafka,
    sqsConsumers,
    kafkaConsumers,
    messageTypes: list(merged.messageTypes, 'messageTypes'),
    shutdownTimeoutMs,
    onConsumerFailure,
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
  moduleUnhandled: UnhandledAction | undefined,
): ResolvedSqsConsumer {
  requireName(consumer?.queue, `${setting}.queue`);
  const concurrency = wholeNumber(consumer.concurrency ?? 10, `${setting}.concurrency`, 1, 10_000);
  return {
    queue: consumer.queue,
    deadLetterQueue: optionalName(consumer.deadLetterQueue, `${setting}.deadLetterQueue`),
    retry: new RetryPolicy(consumer.retry, `${setting}.retry`),
    unhandled: unhandledPolicy(consumer.unhandled, `${setting}.unhandled`, moduleUnhandled),
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
      consumer.pollers ?? Math.max(1, Math.ceil(concurrency / 10)),
      `${setting}.pollers`,
      1,
      100,
    ),
  };
}

function resolveKafkaConsumer(
  consumer: KafkaConsumerOptions,
  setting: string,
  moduleUnhandled: UnhandledAction | undefined,
): ResolvedKafkaConsumer {
  requireName(consumer?.topic, `${setting}.topic`);
  return {
    topic: consumer.topic,
    groupId:
      optionalName(consumer.groupId, `${setting}.groupId`) ?? `${consumer.topic}_consumer_group`,
    deadLetterTopic:
      optionalName(consumer.deadLetterTopic, `${setting}.deadLetterTopic`) ??
      `${consumer.topic}.dlq`,
    retry: new RetryPolicy(consumer.retry, `${setting}.retry`),
    unhandled: unhandledPolicy(consumer.unhandled, `${setting}.unhandled`, moduleUnhandled),
    partitionsConcurrency: wholeNumber(
      consumer.partitionsConcurrency ?? 10,
      `${setting}.partitionsConcurrency`,
      1,
      10_000,
    ),
    members: wholeNumber(consumer.members ?? 1, `${setting}.members`, 1, 64),
    fromBeginning: consumer.fromBeginning ?? true,
  };
}

const UNHANDLED_ACTIONS: readonly UnhandledAction[] = ['acknowledge', 'dead-letter'];

function unhandledAction(value: unknown, setting: string): UnhandledAction | undefined {
  if (value === undefined) return undefined;
  if (!UNHANDLED_ACTIONS.includes(value as UnhandledAction)) {
    throw new MessageBusConfigurationError(
      setting,
      `must be 'acknowledge' or 'dead-letter' (got ${JSON.stringify(value)})`,
    );
  }
  return value as UnhandledAction;
}

/** The consumer's own setting, else the module's, applied to both kinds; else the default. */
function unhandledPolicy(
  value: unknown,
  setting: string,
  moduleUnhandled: UnhandledAction | undefined,
): UnhandledPolicy {
  const action = unhandledAction(value, setting) ?? moduleUnhandled;
  return action === undefined
    ? DEFAULT_UNHANDLED_POLICY
    : Object.freeze({ instruction: action, event: action });
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

function requireName(value: unknown, setting: string): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MessageBusConfigurationError(setting, 'is required and must be a non-blank string');
  }
}

function optionalName(value: unknown, setting: string): string | undefined {
  if (value === undefined) return undefined;
  requireName(value, setting);
  return value;
}

function wholeNumber(value: unknown, setting: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new MessageBusConfigurationError(
      setting,
      `must be a whole number from ${min} to ${max} (got ${String(value)})`,
    );
  }
  return value;
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
