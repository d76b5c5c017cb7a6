import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { MessageBusConfigurationError } from '../../errors/message-bus-configuration.error';
import { MessageBusError } from '../../errors/message-bus.error';
import type { ResolvedKafkaConsumer } from '../../options/resolved-options';
import type { ConsumerStatus, DeliveryHandler, RunningConsumer } from '../transport.interface';
import { KafkaAbandonment } from './consumer/kafka-abandonment';
import { KafkaBatchProcessor } from './consumer/kafka-batch.processor';
import {
  KAFKA_COMMIT_INTERVAL_MS,
  KAFKA_CONSUMER_RETRY,
} from './consumer/kafka-consumer.constants';
import { KafkaConsumerStats } from './consumer/kafka-consumer-stats';
import { KafkaDeadLetterPublisher } from './consumer/kafka-dead-letter.publisher';
import { errorText, kafkaErrorContextOf } from './consumer/kafka-error-context';
import { KafkaGroupGeneration } from './consumer/kafka-group-generation';
import { KafkaMessageProcessor } from './consumer/kafka-message.processor';
import { KafkaRetryWaits } from './consumer/kafka-retry-waits';
import { toKafkaJsPartitionAssigners } from './assigners/kafkajs-partition-assigners';
import { toKafkaConsumerError } from './kafka-error-mapping';
import { KafkaGroupMembership } from './kafka-group-membership';
import type { KafkaClient } from './kafka.client';
import { noteKafkaHighWatermark } from '../../telemetry/kafka-lag.registry';

/**
 * One topic in one consumer group, run on kafkajs: batches are fetched per partition, the
 * partitions worked through in parallel (up to `partitionsConcurrency`), each strictly in
 * offset order. Delivery is at least once: an offset is committed only once its message and
 * every earlier one of its partition are settled (handled, or stored in the dead-letter topic).
 *
 * kafkajs retries fetches, joins and commits, and restarts the consumer after a crash it
 * can recover from (a broker restart, a coordinator move): the status then says
 * `reconnecting`, and `failed` once kafkajs gives up for good, which is also logged as an error.
 */
export class KafkaConsumer implements RunningConsumer {
  readonly name: string;
  private readonly logger = new Logger(KafkaConsumer.name);
  private readonly stats = new KafkaConsumerStats();
  private readonly abandonment = new KafkaAbandonment();
  private readonly retryWaits = new KafkaRetryWaits((partition) => this.resume(partition));
  private readonly batches: KafkaBatchProcessor;
  private consumer?: Consumer;
  private generation = new KafkaGroupGeneration();
  private membership?: KafkaGroupMembership;
  private activeBatches = 0;
  private readonly idleWaiters = new Set<() => void>();
  private starting?: Promise<void>;
  private stopping?: Promise<void>;
  private stopRequested = false;
  private joinedBefore = false;

  constructor(
    readonly client: KafkaClient,
    readonly subscription: ResolvedKafkaConsumer,
    readonly handler: DeliveryHandler,
    /** Which of the app's `members` of this group it is, for logs; none when it is the only one. */
    member?: string,
  ) {
    const { topic, groupId } = subscription;
    if (subscription.deadLetterTopic === topic) {
      // Every message it gives up on would come straight back to it.
      throw new MessageBusConfigurationError(
        `consumers.kafka deadLetterTopic of topic ${topic}`,
        `is the consumed topic itself: give it a topic of its own (by default ${topic}.dlq)`,
      );
    }
    const name = KafkaConsumer.nameOf(subscription);
    this.name = member === undefined ? name : `${name}, ${member}`;
    const messages = new KafkaMessageProcessor({
      topic,
      groupId,
      deadLetterTopic: subscription.deadLetterTopic,
      retry: subscription.retry,
      handler,
      deadLetters: new KafkaDeadLetterPublisher(client),
      stats: this.stats,
      logger: this.logger,
    });
    this.batches = new KafkaBatchProcessor({
      topic,
      groupId,
      messages,
      abandonment: this.abandonment,
      retryWaits: this.retryWaits,
      heartbeatIntervalMs: client.settings.heartbeatIntervalMs,
      commitIntervalMs: KAFKA_COMMIT_INTERVAL_MS,
      logger: this.logger,
    });
  }

  /** How a consumer of `subscription` is named in logs and statuses. */
  static nameOf({ topic, groupId }: Pick<ResolvedKafkaConsumer, 'topic' | 'groupId'>): string {
    return `kafka:${topic} (${groupId})`;
  }

  /**
   * Connects, subscribes and resolves once the consumer has joined its group. Rejects with a
   * `MessageBusError` when it cannot connect or subscribe, or when kafkajs gives up on the
   * first join; a first join that kafkajs will retry leaves it `reconnecting` instead.
   */
  start(): Promise<void> {
    if (this.starting)
      throw new MessageBusError(`${this.name} was started twice: start() may be called once`);
    this.starting = this.run();
    return this.starting;
  }

  status(): ConsumerStatus {
    return this.stats.snapshot(this.name);
  }

  /**
   * Stops fetching, lets the messages in progress finish for up to `timeoutMs` and commits
   * them, then leaves the group. Messages still in progress after that, or waiting for a
   * retry, are left uncommitted and delivered again (to this group's next member).
   */
  stop(timeoutMs: number): Promise<void> {
    this.stopping ??= this.shutdown(timeoutMs);
    return this.stopping;
  }

  private async run(): Promise<void> {
    const { topic, groupId, fromBeginning, partitionsConcurrency } = this.subscription;
    const { sessionTimeoutMs, heartbeatIntervalMs, maxWaitTimeMs } = this.client.settings;
    const consumer = this.client.createKafka('consumer').consumer({
      groupId,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: heartbeatIntervalMs,
      maxWaitTimeInMs: maxWaitTimeMs,
      retry: { ...KAFKA_CONSUMER_RETRY },
      partitionAssigners: toKafkaJsPartitionAssigners(
        this.subscription.partitionAssigners ?? this.client.settings.partitionAssigners,
      ),
    });
    this.consumer = consumer;
    this.listen(consumer);
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: partitionsConcurrency,
        eachBatch: (payload) => this.onBatch(payload),
      });
    } catch (error) {
      throw await this.failToStart(error);
    }
    // kafkajs reports a failed first join through its crash event, not by rejecting run().
    if (this.stats.state === 'failed') throw await this.failToStart(this.membership?.fatalCrash);
  }

  private listen(consumer: Consumer): void {
    const { topic, groupId } = this.subscription;
    this.membership = new KafkaGroupMembership(consumer, topic, {
      joined: (partitions) => this.onJoin(partitions),
      rebalancing: () =>
        this.logger.log(`Kafka group ${groupId} of ${topic} is rebalancing: rejoining`),
      crashed: (error, restart) => this.onCrash(error, restart),
    });
  }

  private onJoin(partitions: readonly number[]): void {
    this.generation = new KafkaGroupGeneration();
    this.retryWaits.keepOnly(partitions);
    if (this.stopRequested) this.generation.halt('stopping');
    const { state } = this.stats;
    if (state !== 'starting' && state !== 'reconnecting' && state !== 'running') return;
    this.stats.state = 'running';
    this.stats.lastError = undefined;
    const { topic, groupId } = this.subscription;
    const assigned =
      partitions.length > 0
        ? `partitions ${[...partitions].sort((a, b) => a - b).join(', ')}`
        : 'no partition (more members than partitions)';
    this.logger.log(
      `Kafka consumer of ${topic} ${this.joinedBefore ? 'rejoined' : 'joined'} group ${groupId}: ${assigned}`,
    );
    this.joinedBefore = true;
  }

  private onCrash(error: Error, restart: boolean): void {
    this.generation.halt('lost', error);
    if (this.stopRequested) {
      // A restart kafkajs schedules after this event would outlive stop(): cancel it once it is set.
      setImmediate(() => void this.consumer?.disconnect().catch(() => undefined));
      return;
    }
    const { topic, groupId } = this.subscription;
    const text = errorText(
      toKafkaConsumerError(error, topic, groupId, kafkaErrorContextOf(this.client.settings)),
    );
    this.stats.lastError = text;
    if (restart) {
      this.stats.state = 'reconnecting';
      this.logger.warn(
        `Kafka consumer of ${topic} in group ${groupId} crashed and kafkajs is restarting it: ${text}`,
      );
      return;
    }
    const starting = this.stats.state === 'starting';
    this.stats.state = 'failed';
    // A first join that fails for good fails start(), which says so itself.
    if (starting) return;
    this.logger.error(
      `Kafka consumer of ${topic} in group ${groupId} stopped for good and consumes nothing until the app restarts: ${text}`,
    );
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    this.activeBatches += 1;
    noteKafkaHighWatermark(this.subscription, payload.batch);
    try {
      await this.batches.process(payload, this.generation);
    } finally {
      this.activeBatches -= 1;
      if (this.activeBatches === 0) {
        for (const wake of this.idleWaiters) wake();
        this.idleWaiters.clear();
      }
    }
  }

  private async failToStart(error: unknown): Promise<MessageBusError> {
    const { topic, groupId } = this.subscription;
    const failure = toKafkaConsumerError(
      error,
      topic,
      groupId,
      kafkaErrorContextOf(this.client.settings),
    );
    this.stats.state = 'failed';
    this.stats.lastError = errorText(failure);
    this.logger.error(
      `Kafka consumer of ${topic} in group ${groupId} could not start: ${failure.message}`,
    );
    await this.consumer?.disconnect().catch(() => undefined);
    return failure;
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    this.stopRequested = true;
    this.generation.halt('stopping');
    const waiting = this.retryWaits.clear();
    if (waiting > 0) {
      this.logger.log(
        `${this.name}: ${waiting} message(s) waiting for a retry are left uncommitted for redelivery`,
      );
    }
    await this.starting?.catch(() => undefined);
    const consumer = this.consumer;
    if (this.stats.state !== 'failed') this.stats.state = 'stopping';
    try {
      if (consumer) {
        // No new fetches while the batches in progress finish.
        try {
          consumer.pause([{ topic: this.subscription.topic }]);
        } catch {
          // Not running (crashed, restarting): nothing is fetched anyway.
        }
        if (!(await this.whenIdle(timeoutMs))) {
          this.logger.warn(
            `${this.name}: ${this.stats.inFlight} message(s) still in progress after ${timeoutMs} ms of shutdown are left uncommitted for redelivery`,
          );
          this.abandonment.abandonAll();
          await this.whenIdle();
        }
        await consumer
          .disconnect()
          .catch((error: unknown) =>
            this.logger.warn(`${this.name}: leaving the group failed: ${errorText(error)}`),
          );
      }
    } finally {
      this.membership?.detach();
      this.stats.state = 'stopped';
    }
  }

  /** Fetches from `partition` again after a retry wait (a no-op once the consumer is gone). */
  private resume(partition: number): void {
    try {
      this.consumer?.resume([{ topic: this.subscription.topic, partitions: [partition] }]);
    } catch {
      // Not running (crashed, restarting): a restarted consumer fetches every partition anyway.
    }
  }

  /** Resolves `true` once no batch is in progress, or `false` when `timeoutMs` runs out first. */
  private whenIdle(timeoutMs?: number): Promise<boolean> {
    if (this.activeBatches === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer =
        timeoutMs === undefined ? undefined : setTimeout(() => finish(false), timeoutMs);
      const finish = (idle: boolean): void => {
        clearTimeout(timer);
        this.idleWaiters.delete(wake);
        resolve(idle);
      };
      const wake = (): void => finish(true);
      this.idleWaiters.add(wake);
    });
  }
}
