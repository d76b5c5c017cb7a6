import { Logger } from '@nestjs/common';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { MessageBusConfigurationError } from '../../errors/message-bus-configuration.error';
import { MessageBusError } from '../../errors/message-bus.error';
import type { ResolvedKafkaConsumer } from '../../options/resolved-options';
import type { ConsumerStatus, DeliveryHandler, RunningConsumer } from '../transport.interface';
import { abortableDelay, backoffDelay } from './consumer/abortable-delay';
import { KafkaAbandonment } from './consumer/kafka-abandonment';
import { KafkaBatchProcessor } from './consumer/kafka-batch.processor';
import {
  KAFKA_COMMIT_INTERVAL_MS,
  KAFKA_CONSUMER_RETRY,
  KAFKA_STARTUP_RETRY_INITIAL_MS,
  KAFKA_STARTUP_RETRY_LOG_EVERY,
  KAFKA_STARTUP_RETRY_MAX_MS,
} from './consumer/kafka-consumer.constants';
import { KafkaConsumerStats } from './consumer/kafka-consumer-stats';
import { KafkaDeadLetterPublisher } from './consumer/kafka-dead-letter.publisher';
import { errorText, kafkaErrorContextOf } from './consumer/kafka-error-context';
import { KafkaGroupGeneration } from './consumer/kafka-group-generation';
import { KafkaMessageProcessor } from './consumer/kafka-message.processor';
import { KafkaRetryWaits } from './consumer/kafka-retry-waits';
import { KafkaRetryTopicPublisher } from './consumer/kafka-retry-topic.publisher';
import { toKafkaJsPartitionAssigners } from './assigners/kafkajs-partition-assigners';
import { isTlsFailureDetail, KafkaConnectionError } from './errors/kafka-connection.error';
import { toKafkaConsumerError } from './kafka-error-mapping';
import { kafkaConsumerName } from '../consumer-names';
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
 *
 * `pause()` pauses every partition assigned to this member (and any assigned on a later join)
 * with kafkajs's `pause()`: the member stays in its group and keeps heartbeating, so nothing
 * rebalances. A batch in progress stops after its current message; what it did not reach is
 * left unresolved and uncommitted, and kafkajs fetches it again from there after `resume()`.
 */
export class KafkaConsumer implements RunningConsumer {
  readonly name: string;
  private readonly logger = new Logger(KafkaConsumer.name);
  private readonly stats = new KafkaConsumerStats();
  private readonly abandonment = new KafkaAbandonment();
  private readonly retryWaits = new KafkaRetryWaits((partition) =>
    this.resumePartition(this.subscription.topic, partition),
  );
  /** `retryMode: 'retry-topic'`: retry-topic partitions paused until their next copy is due. */
  private readonly dueWaits?: KafkaRetryWaits;
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
  /** Ends the waits between start-up tries (`startup: 'keep-retrying'`) when the consumer stops. */
  private readonly startupAbort = new AbortController();
  /** The tries to reach Kafka after a first one found it unreachable; shutdown waits for them. */
  private waitingForBroker?: Promise<void>;
  private paused = false;
  /** The topic's partitions assigned to this member at its last join. */
  private assigned: readonly number[] = [];
  /** The retry topic's partitions assigned to this member at its last join (`retryMode: 'retry-topic'`). */
  private assignedRetry: readonly number[] = [];

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
    const { retryTopic } = subscription;
    if (retryTopic !== undefined) {
      this.dueWaits = new KafkaRetryWaits((partition) =>
        this.resumePartition(retryTopic, partition),
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
      retryTopic:
        retryTopic === undefined
          ? undefined
          : { topic: retryTopic, sink: new KafkaRetryTopicPublisher(client) },
      stats: this.stats,
      logger: this.logger,
    });
    this.batches = new KafkaBatchProcessor({
      topic,
      groupId,
      messages,
      abandonment: this.abandonment,
      retryWaits: this.retryWaits,
      // A refetch after a pause costs about one fetch wait: a retry no longer than that is
      // cheaper in the batch, and holds up the member's next fetch no longer than a fetch may take.
      inProcessRetryMaxMs: client.settings.maxWaitTimeMs,
      retryTopic:
        retryTopic === undefined || this.dueWaits === undefined
          ? undefined
          : { topic: retryTopic, dueWaits: this.dueWaits },
      heartbeatIntervalMs: client.settings.heartbeatIntervalMs,
      commitIntervalMs: KAFKA_COMMIT_INTERVAL_MS,
      isPaused: () => this.paused,
      logger: this.logger,
    });
  }

  /** How a consumer of `subscription` is named in logs and statuses. */
  static nameOf({ topic, groupId }: Pick<ResolvedKafkaConsumer, 'topic' | 'groupId'>): string {
    return kafkaConsumerName(topic, groupId);
  }

  /**
   * Connects, subscribes and resolves once the consumer has joined its group. Rejects with a
   * `MessageBusError` when it cannot subscribe, or when kafkajs gives up on the first join; a
   * first join that kafkajs will retry leaves it `reconnecting` instead. When no broker can be
   * reached: rejects with `KafkaConnectionError` under `startup: 'fail-fast'`; under
   * `'keep-retrying'` (the default) resolves with the consumer `reconnecting` and keeps trying
   * in the background until the broker answers.
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

  async pause(): Promise<void> {
    if (this.stopRequested || this.stats.state === 'failed') return;
    if (!this.paused) {
      this.paused = true;
      if (this.stats.state === 'running') this.stats.state = 'paused';
      this.pauseAssigned();
      this.logger.log(`${this.name}: paused`);
    }
    await this.whenIdle();
  }

  async resume(): Promise<void> {
    if (!this.paused || this.stopRequested) return;
    this.paused = false;
    if (this.stats.state === 'paused') this.stats.state = 'running';
    const { topic, retryTopic } = this.subscription;
    try {
      // Every partition, also one paused when it left in a rebalance; then again those
      // whose message still waits out a retry backoff (or whose next retry copy is not due).
      this.consumer?.resume(
        retryTopic === undefined ? [{ topic }] : [{ topic }, { topic: retryTopic }],
      );
      const waiting = this.retryWaits.waitingPartitions();
      if (waiting.length > 0) this.consumer?.pause([{ topic, partitions: waiting }]);
      const due = this.dueWaits?.waitingPartitions() ?? [];
      if (retryTopic !== undefined && due.length > 0)
        this.consumer?.pause([{ topic: retryTopic, partitions: due }]);
    } catch {
      // Not running (crashed, restarting): a restarted consumer fetches every partition anyway.
    }
    this.logger.log(`${this.name}: resumed`);
  }

  private async run(): Promise<void> {
    const failure = await this.attemptStart();
    if (failure === undefined) return;
    if (this.keepsRetrying(failure)) {
      this.waitingForBroker = this.waitForBroker(failure);
      return;
    }
    throw await this.failToStart(failure);
  }

  /** One try at connecting, subscribing and running: undefined when it worked, else why not. */
  private async attemptStart(): Promise<MessageBusError | undefined> {
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
      // Copies waiting for their retry are read from the start whatever `fromBeginning` says:
      // one the group has not committed yet must not be skipped.
      if (this.subscription.retryTopic !== undefined)
        await consumer.subscribe({ topics: [this.subscription.retryTopic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: partitionsConcurrency,
        eachBatch: (payload) => this.onBatch(payload),
      });
    } catch (error) {
      return this.toStartError(error);
    }
    // kafkajs reports a failed first join through its crash event, not by rejecting run().
    if (this.stats.state === 'failed') return this.toStartError(this.membership?.fatalCrash);
    return undefined;
  }

  /** Whether a failed start is an unreachable broker to wait for (`startup: 'keep-retrying'`). */
  private keepsRetrying(failure: MessageBusError): boolean {
    return (
      this.subscription.startup !== 'fail-fast' &&
      !this.stopRequested &&
      failure instanceof KafkaConnectionError &&
      !isTlsFailureDetail(failure.detail)
    );
  }

  /** Tries again with backoff until Kafka answers, the consumer stops, or a try fails for another reason. */
  private async waitForBroker(first: MessageBusError): Promise<void> {
    const { topic, groupId } = this.subscription;
    this.stats.state = 'reconnecting';
    this.stats.lastError = errorText(first);
    this.logger.warn(
      `Kafka consumer of ${topic} in group ${groupId} cannot reach Kafka yet and keeps trying (startup: 'keep-retrying'): ${first.message}`,
    );
    for (let tries = 1; ; tries += 1) {
      await this.consumer?.disconnect().catch(() => undefined);
      this.membership?.detach();
      const delay = backoffDelay(tries, KAFKA_STARTUP_RETRY_INITIAL_MS, KAFKA_STARTUP_RETRY_MAX_MS);
      if (!(await abortableDelay(delay, this.startupAbort.signal))) return;
      const failure = await this.attemptStart();
      if (failure === undefined || this.stopRequested) return;
      if (!this.keepsRetrying(failure)) {
        if (this.status().state !== 'failed') await this.failToStart(failure);
        return;
      }
      this.stats.state = 'reconnecting';
      this.stats.lastError = errorText(failure);
      if (tries % KAFKA_STARTUP_RETRY_LOG_EVERY === 0) {
        this.logger.warn(
          `Kafka consumer of ${topic} in group ${groupId} still cannot reach Kafka after ${tries + 1} tries: ${failure.message}`,
        );
      }
    }
  }

  private listen(consumer: Consumer): void {
    const { topic, groupId } = this.subscription;
    this.membership = new KafkaGroupMembership(consumer, topic, {
      joined: (partitions, assignment) => this.onJoin(partitions, assignment),
      rebalancing: () =>
        this.logger.log(`Kafka group ${groupId} of ${topic} is rebalancing: rejoining`),
      crashed: (error, restart) => this.onCrash(error, restart),
    });
  }

  private onJoin(
    partitions: readonly number[],
    assignment: Readonly<Record<string, readonly number[]>>,
  ): void {
    this.generation = new KafkaGroupGeneration();
    this.assigned = partitions;
    this.retryWaits.keepOnly(partitions);
    const { retryTopic } = this.subscription;
    this.assignedRetry = retryTopic === undefined ? [] : (assignment[retryTopic] ?? []);
    this.dueWaits?.keepOnly(this.assignedRetry);
    if (this.stopRequested) this.generation.halt('stopping');
    // Before kafkajs fetches for the new assignment (it emits the join first).
    if (this.paused) this.pauseAssigned();
    const { state } = this.stats;
    const live: readonly string[] = ['starting', 'reconnecting', 'running', 'paused'];
    if (!live.includes(state)) return;
    this.stats.state = this.paused ? 'paused' : 'running';
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
    // Fetched before the pause: left unresolved, so kafkajs fetches it again after resume().
    if (this.paused) return;
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

  private toStartError(error: unknown): MessageBusError {
    const { topic, groupId } = this.subscription;
    return toKafkaConsumerError(error, topic, groupId, kafkaErrorContextOf(this.client.settings));
  }

  private async failToStart(failure: MessageBusError): Promise<MessageBusError> {
    const { topic, groupId } = this.subscription;
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
    this.startupAbort.abort();
    const waiting = this.retryWaits.clear();
    // Copies not due yet stay in the retry topic, uncommitted: nothing to say about them.
    this.dueWaits?.clear();
    if (waiting > 0) {
      this.logger.log(
        `${this.name}: ${waiting} message(s) waiting for a retry are left uncommitted for redelivery`,
      );
    }
    await this.starting?.catch(() => undefined);
    await this.waitingForBroker;
    const consumer = this.consumer;
    if (this.stats.state !== 'failed') this.stats.state = 'stopping';
    try {
      if (consumer) {
        // No new fetches while the batches in progress finish.
        try {
          const { topic, retryTopic } = this.subscription;
          consumer.pause(
            retryTopic === undefined ? [{ topic }] : [{ topic }, { topic: retryTopic }],
          );
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

  /** Pauses each partition by number, so that a retry's own pause and resume of one partition leave the others paused. */
  private pauseAssigned(): void {
    const { topic, retryTopic } = this.subscription;
    const topics = [{ topic, partitions: [...this.assigned] }];
    if (retryTopic !== undefined)
      topics.push({ topic: retryTopic, partitions: [...this.assignedRetry] });
    const nonEmpty = topics.filter((entry) => entry.partitions.length > 0);
    if (nonEmpty.length === 0) return;
    try {
      this.consumer?.pause(nonEmpty);
    } catch {
      // Not running (crashed, restarting): the next join pauses its partitions again.
    }
  }

  /**
   * Fetches from `partition` of `topic` again after a retry wait (a no-op once the consumer is
   * gone); while paused it stays paused, and `resume()` resumes it.
   */
  private resumePartition(topic: string, partition: number): void {
    if (this.paused) return;
    try {
      this.consumer?.resume([{ topic, partitions: [partition] }]);
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
