import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import { MESSAGE_BUS_RESOLVED_OPTIONS } from '../message-bus.constants';
import {
  rejectUnknownKeys,
  requiredName,
  wholeNumber,
  type OptionKeys,
} from '../options/option-checks';
import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import { ConsumerOrchestrator } from '../runtime/consumer.orchestrator';
import { KafkaReachabilityProbe } from '../transports/kafka/kafka-reachability.probe';
import { KafkaClient } from '../transports/kafka/kafka.client';
import { SqsReachabilityProbe } from '../transports/sqs/sqs-reachability.probe';
import type { ConsumerStatus } from '../transports/transport.interface';
import { checkBrokers, type BrokerHealth, type BrokerProbes } from './broker-reachability';
import {
  consumerHealthOf,
  isConsumerAlive,
  isConsumerReady,
  type ConsumerHealth,
} from './consumer-health';
import {
  DEFAULT_BROKER_TIMEOUT_MS,
  MAX_BROKER_TIMEOUT_MS,
  MESSAGE_BUS_HEALTH_KEY,
} from './message-bus-health.constants';
import type { MessageBusReadinessOptions } from './message-bus-readiness-options.interface';

const READINESS_OPTION_KEYS: OptionKeys<MessageBusReadinessOptions> = {
  timeoutMs: true,
  queues: true,
};

/** The details of the indicator's entry in a terminus result. */
export interface MessageBusHealthDetails {
  /** Each consumer by name (`sqs:<queue>`, the Kafka topic and group, ...). */
  readonly consumers: Record<string, ConsumerHealth>;
  /** Readiness only: each broker probed, `sqs:<queue>` and `kafka`. */
  readonly brokers?: Record<string, BrokerHealth>;
  /** When down: what is wrong, one clause per consumer or broker. */
  readonly message?: string;
}

/**
 * The message bus for `@nestjs/terminus`: `isAlive()` for a liveness probe (down only while a
 * consumer is `failed`, which only a restart mends) and `isReady()` for a readiness probe
 * (also down while a consumer is `starting` or `reconnecting`, or a broker does not answer
 * within the timeout). Both name every consumer with its state, in-flight count and last
 * error; `isReady()` also names every broker it probed. Nothing is cached: each check reads
 * the consumers and asks the brokers afresh.
 */
@Injectable()
export class MessageBusHealthIndicator implements OnModuleDestroy {
  private readonly probes: BrokerProbes;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly orchestrator: ConsumerOrchestrator,
    @Inject(MESSAGE_BUS_RESOLVED_OPTIONS) options: ResolvedMessageBusOptions,
    kafkaClient: KafkaClient,
  ) {
    const onBrokers = options.transport !== 'memory';
    this.probes = {
      sqs:
        onBrokers && options.sqs
          ? {
              probe: new SqsReachabilityProbe(options.sqs),
              queues: options.sqsConsumers.map((consumer) => consumer.queue),
            }
          : undefined,
      kafka: onBrokers && options.kafka ? new KafkaReachabilityProbe(kafkaClient) : undefined,
    };
  }

  /** Up unless a consumer is `failed`. */
  async isAlive(key: string = MESSAGE_BUS_HEALTH_KEY): Promise<HealthIndicatorResult> {
    const statuses = this.orchestrator.statuses();
    const problems = statuses
      .filter((status) => !isConsumerAlive(status))
      .map((status) => describeConsumer(status));
    return this.result(key, { consumers: consumersOf(statuses) }, problems);
  }

  /**
   * Up while every consumer takes work (`running`, or paused or stopped on purpose) and every
   * broker answers: each consumed SQS queue (and `options.queues`) to `GetQueueAttributes`,
   * the Kafka cluster to a metadata request, each within `options.timeoutMs` (default 2000).
   */
  async isReady(
    key: string = MESSAGE_BUS_HEALTH_KEY,
    options: MessageBusReadinessOptions = {},
  ): Promise<HealthIndicatorResult> {
    const { timeoutMs, queues } = checkReadinessOptions(options);
    const statuses = this.orchestrator.statuses();
    const { sqs, kafka } = this.probes;
    const brokers = await checkBrokers(
      {
        sqs: sqs ? { ...sqs, queues: [...new Set([...sqs.queues, ...queues])] } : undefined,
        kafka,
      },
      timeoutMs,
    );
    const problems = [
      ...statuses.filter((status) => !isConsumerReady(status)).map(describeConsumer),
      ...Object.entries(brokers)
        .filter(([, broker]) => broker.status === 'down')
        .map(([name, broker]) => `${name} is unreachable (${broker.error})`),
    ];
    return this.result(key, { consumers: consumersOf(statuses), brokers }, problems);
  }

  onModuleDestroy(): void {
    this.probes.sqs?.probe.close();
  }

  private result(
    key: string,
    details: MessageBusHealthDetails,
    problems: readonly string[],
  ): HealthIndicatorResult {
    const session = this.health.check(key);
    if (problems.length === 0) return session.up({ ...details });
    return session.down({ ...details, message: problems.join('; ') });
  }
}

function consumersOf(statuses: readonly ConsumerStatus[]): Record<string, ConsumerHealth> {
  return Object.fromEntries(statuses.map((status) => [status.name, consumerHealthOf(status)]));
}

function describeConsumer(status: ConsumerStatus): string {
  const why = status.lastError !== undefined ? ` (${status.lastError})` : '';
  return `${status.name} is ${status.state}${why}`;
}

function checkReadinessOptions(options: MessageBusReadinessOptions): {
  timeoutMs: number;
  queues: readonly string[];
} {
  const setting = 'MessageBusHealthIndicator.isReady() options';
  rejectUnknownKeys(options, READINESS_OPTION_KEYS, setting);
  const timeoutMs =
    options.timeoutMs === undefined
      ? DEFAULT_BROKER_TIMEOUT_MS
      : wholeNumber(options.timeoutMs, `${setting}.timeoutMs`, 1, MAX_BROKER_TIMEOUT_MS);
  if (options.queues !== undefined && !Array.isArray(options.queues)) {
    throw new MessageBusConfigurationError(
      `${setting}.queues`,
      'must be an array of queue names or full queue URLs',
    );
  }
  const queues = (options.queues ?? []).map((queue, index) =>
    requiredName(queue, `${setting}.queues[${index}]`, ': a queue name or a full queue URL'),
  );
  return { timeoutMs, queues };
}
