import type { LoggerService } from '@nestjs/common';
import type { KafkaMessage } from 'kafkajs';
import { describeDelivery } from '../../../dispatch/delivery-description';
import { isUnauthenticated, type DispatchOutcome } from '../../../dispatch/delivery-outcome';
import { decideSettlement, type SettlementRules } from '../../../dispatch/settlement-policy';
import { observeSettlement } from '../../../telemetry/settlement-observation';
import type { MessageBusMessage } from '../../../message/message-bus-message';
import type { RetryPolicy } from '../../../dispatch/retry-policy';
import type { InboundDelivery } from '../../../dispatch/inbound-delivery.interface';
import { isThenable } from '../../../dispatch/thenable';
import type { DeliveryHandler } from '../../transport.interface';
import { abortableDelay, backoffDelay } from './abortable-delay';
import {
  KAFKA_DEAD_LETTER_RETRY_INITIAL_MS,
  KAFKA_DEAD_LETTER_RETRY_MAX_MS,
} from './kafka-consumer.constants';
import type { KafkaConsumerStats } from './kafka-consumer-stats';
import type { KafkaDeadLetterSink } from './kafka-dead-letter.publisher';
import { toKafkaDeadLetterRecord } from './kafka-dead-letter-record';
import { errorText } from './kafka-error-context';
import { toKafkaInboundDelivery } from './kafka-inbound-delivery';
import { toKafkaRetryRecord, type KafkaRecordOrigin } from './kafka-retry-record';
import type { KafkaRetryTopicSink } from './kafka-retry-topic.publisher';

/** A failed attempt that gets another: deliver the message again, as `attempt + 1`, after `delayMs`. */
export interface KafkaRetryLater {
  readonly attempt: number;
  readonly delayMs: number;
}

/**
 * - `settled`: handled, or published to the dead-letter topic: the offset may be committed.
 * - `abandoned`: given up on without a final outcome (stop, rebalance): it must stay
 *   uncommitted, and so must everything after it in its partition.
 * - a `KafkaRetryLater`: failed, to be tried again after a backoff; like `abandoned`, it and
 *   everything after it stay uncommitted meanwhile.
 */
export type KafkaMessageSettlement = 'settled' | 'abandoned' | KafkaRetryLater | KafkaRetryCopying;

/**
 * `retryMode: 'retry-topic'`: a failed attempt whose copy is on its way to the retry topic. The
 * partition may go on, but nothing from this message on may be committed until `copying` says
 * `settled` (stored); a `KafkaRetryLater` there means it could not be stored and the retry is
 * to be waited out in the partition, as in the blocking mode. Never rejects.
 */
export interface KafkaRetryCopying {
  readonly copying: Promise<'settled' | KafkaRetryLater>;
}

/** What a delivery came to; a handler that broke the `DeliveryHandler` contract by throwing is a failed attempt. */
type Outcome = DispatchOutcome;

export interface KafkaMessageProcessorOptions {
  readonly topic: string;
  readonly groupId: string;
  readonly deadLetterTopic: string;
  readonly retry: RetryPolicy;
  readonly handler: DeliveryHandler;
  readonly deadLetters: KafkaDeadLetterSink;
  readonly stats: KafkaConsumerStats;
  readonly logger: Pick<LoggerService, 'warn' | 'error'>;
  /**
   * With `retryMode: 'retry-topic'`: where a failed attempt that gets another is copied, so that
   * its partition goes on. Without it, the caller waits out the retry (`KafkaRetryLater`).
   */
  readonly retryTopic?: { readonly topic: string; readonly sink: KafkaRetryTopicSink };
  /** Delay before publishing to the dead-letter topic again after try `attempt` failed. */
  readonly deadLetterBackoff?: (attempt: number) => number;
}

/**
 * Runs one delivery of a record: the handler; on a failure that has attempts left, the
 * subscription's backoff for the caller to wait out (`KafkaRetryLater`: the batch processor
 * pauses the partition rather than hold kafkajs's batch); otherwise the dead-letter topic (at
 * once for a message that is refused, e.g. invalid). A dead-letter publish that fails for a
 * reason that may pass is tried again until it succeeds: the record is never skipped; one the
 * broker refuses for good (see `KafkaDeadLetterResult`) is logged with its coordinates,
 * counted in `deadLetterFailures`, and committed past, since waiting would block the partition. `halt` (stop or rebalance) ends those
 * waits early and leaves the message unsettled, for redelivery.
 *
 * This is the hot path of the consumer: a handled message costs one handler call and, when the
 * handler answered at once, no promise at all.
 */
export class KafkaMessageProcessor {
  private readonly deadLetterBackoff: (attempt: number) => number;
  private readonly rules: SettlementRules;
  private readonly settled = (outcome: Outcome): Outcome => {
    this.options.stats.inFlight -= 1;
    return outcome;
  };
  private readonly crashed = (error: unknown): Outcome => this.settled({ status: 'failed', error });

  constructor(private readonly options: KafkaMessageProcessorOptions) {
    this.rules = { retry: options.retry, canDeadLetter: true };
    this.deadLetterBackoff =
      options.deadLetterBackoff ??
      ((attempt) =>
        backoffDelay(attempt, KAFKA_DEAD_LETTER_RETRY_INITIAL_MS, KAFKA_DEAD_LETTER_RETRY_MAX_MS));
  }

  /**
   * One delivery of `message`, its `attempt`-th (1-based). `origin`, for a copy read back from
   * the retry topic, is where the message first came in: the delivery, the dead letter and a
   * further retry copy name those coordinates.
   */
  process(
    partition: number,
    message: KafkaMessage,
    halt: AbortSignal,
    attempt = 1,
    origin?: KafkaRecordOrigin,
  ): KafkaMessageSettlement | Promise<KafkaMessageSettlement> {
    const { topic } = this.options;
    const delivery =
      origin === undefined
        ? toKafkaInboundDelivery(topic, partition, message, attempt)
        : toKafkaInboundDelivery(origin.topic, origin.partition, message, attempt, origin.offset);
    const outcome = this.invoke(delivery);
    // A handler that answered at once (the dispatcher's fast path) is settled without a microtask.
    return isThenable(outcome)
      ? outcome.then((settled) => this.conclude(delivery, message, settled, halt))
      : this.conclude(delivery, message, outcome, halt);
  }

  /** What `delivery`'s outcome comes to: settled (maybe through the dead-letter topic), a retry, or abandoned. */
  private conclude(
    delivery: InboundDelivery,
    message: KafkaMessage,
    outcome: Outcome,
    halt: AbortSignal,
  ): KafkaMessageSettlement | Promise<KafkaMessageSettlement> {
    const { stats, logger } = this.options;
    const { attempt } = delivery;
    // The hot path: a handled message costs no more than this test.
    if (outcome.status === 'handled') {
      stats.handled += 1;
      return 'settled';
    }
    const settlement = decideSettlement(outcome, attempt, this.rules, halt.aborted);
    observeSettlement(delivery, settlement);
    if (isUnauthenticated(outcome)) stats.unauthenticated += 1;
    switch (settlement.action) {
      case 'acknowledge':
        if (outcome.status === 'duplicate') stats.duplicate += 1;
        else stats.handled += 1;
        return 'settled';
      case 'retry':
        stats.retried += 1;
        if (this.options.retryTopic !== undefined)
          return { copying: this.copyToRetryTopic(delivery, message, settlement, outcome.message) };
        logger.warn(
          `Retrying ${describeDelivery(delivery, outcome.message)} in ${settlement.delayMs} ms: ${settlement.reason}`,
        );
        return { attempt, delayMs: settlement.delayMs };
      case 'release':
        logger.warn(
          `Not retrying ${describeDelivery(delivery, outcome.message)}: the consumer is stopping or its group rebalancing, so it is left uncommitted for redelivery (${settlement.reason})`,
        );
        return 'abandoned';
      case 'dead-letter':
      case 'leave':
        // A Kafka consumer always has a dead-letter topic, so the policy never leaves one here.
        return this.deadLetter(delivery, message, settlement.reason, outcome.message, halt);
    }
  }

  /**
   * Stores the retry copy of a failed attempt in the retry topic: `settled` once the broker has
   * it. If it cannot be stored, the retry is waited out in the partition instead
   * (`KafkaRetryLater`), as in the blocking mode: nothing is committed past a message that is
   * not kept somewhere. Never rejects.
   */
  private async copyToRetryTopic(
    delivery: InboundDelivery,
    message: KafkaMessage,
    settlement: { readonly delayMs: number; readonly reason: string },
    parsed: MessageBusMessage | undefined,
  ): Promise<'settled' | KafkaRetryLater> {
    const { groupId, logger } = this.options;
    const { topic: retryTopic, sink } = this.options.retryTopic as NonNullable<
      KafkaMessageProcessorOptions['retryTopic']
    >;
    const { delayMs, reason } = settlement;
    const failedAt = new Date();
    const record = toKafkaRetryRecord(
      message,
      {
        ...coordinatesOf(delivery),
        groupId,
        attempts: delivery.attempt,
        reason,
        failedAt,
      },
      new Date(failedAt.getTime() + delayMs),
    );
    const described = describeDelivery(delivery, parsed);
    try {
      await sink.publish(retryTopic, record);
    } catch (error) {
      logger.warn(
        `Retrying ${described} in ${delayMs} ms in its partition, which waits for it: it could not be copied to retry topic ${retryTopic} (${errorText(error)}); ${reason}`,
      );
      return { attempt: delivery.attempt, delayMs };
    }
    logger.warn(`Retrying ${described} in ${delayMs} ms through ${retryTopic}: ${reason}`);
    return 'settled';
  }

  /** Never rejects: a handler that throws (against the `DeliveryHandler` contract) is a failed attempt. */
  private invoke(delivery: InboundDelivery): Outcome | Promise<Outcome> {
    this.options.stats.inFlight += 1;
    let result: Outcome | PromiseLike<Outcome>;
    try {
      result = this.options.handler(delivery);
    } catch (error) {
      return this.crashed(error);
    }
    return isThenable(result)
      ? Promise.resolve(result).then(this.settled, this.crashed)
      : this.settled(result);
  }

  private async deadLetter(
    delivery: InboundDelivery,
    message: KafkaMessage,
    reason: string,
    parsed: MessageBusMessage | undefined,
    halt: AbortSignal,
  ): Promise<KafkaMessageSettlement> {
    const { groupId, deadLetterTopic, deadLetters, stats, logger } = this.options;
    const described = describeDelivery(delivery, parsed);
    const record = toKafkaDeadLetterRecord(message, {
      ...coordinatesOf(delivery),
      groupId,
      attempts: delivery.attempt,
      reason,
      failedAt: new Date(),
    });
    for (let attempt = 1; ; attempt += 1) {
      const result = await deadLetters.publish(deadLetterTopic, record).then(
        (stored) => stored,
        (error: unknown) => ({ transient: error ?? new Error('dead-letter publish failed') }),
      );
      const after = delivery.attempt === 1 ? '1 attempt' : `${delivery.attempt} attempts`;
      if (result === 'stored' || result === 'truncated') {
        stats.deadLettered += 1;
        const truncated =
          result === 'truncated'
            ? " (truncated: the record was over the topic's max.message.bytes; the original stays in its topic)"
            : '';
        logger.error(
          `Dead-lettered ${described} to ${deadLetterTopic}${truncated} after ${after}: ${reason}`,
        );
        return 'settled';
      }
      if ('notStored' in result) {
        // Refused for good: holding the partition would block it forever. The original stays
        // in the topic's log at these coordinates, for as long as its retention keeps it.
        stats.deadLetterFailures += 1;
        logger.error(
          `Could not store ${described} in dead-letter topic ${deadLetterTopic}, which refuses it for good ` +
            `(${errorText(result.notStored)}); moving on past it, the original stays at topic ${delivery.source} ` +
            `partition ${delivery.partition} offset ${delivery.offset}; gave up after ${after}: ${reason}`,
        );
        return 'settled';
      }
      // Committing without the dead-letter record would lose the message: hold the partition instead.
      const delayMs = this.deadLetterBackoff(attempt);
      const next = halt.aborted
        ? 'left uncommitted for redelivery'
        : `trying again in ${delayMs} ms; partition ${delivery.partition} waits until it is stored`;
      logger.error(
        `Could not publish ${described} to dead-letter topic ${deadLetterTopic} (try ${attempt}): ${errorText(result.transient)}; ${next}`,
      );
      if (halt.aborted || !(await abortableDelay(delayMs, halt))) return 'abandoned';
    }
  }
}

/** Where a delivery's message first came in (a retry copy's delivery names its origin). */
function coordinatesOf(
  delivery: InboundDelivery,
): Pick<KafkaRecordOrigin, 'topic' | 'partition' | 'offset'> {
  return {
    topic: delivery.source,
    partition: delivery.partition as number,
    offset: delivery.offset as string,
  };
}
