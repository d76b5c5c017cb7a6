import type { LoggerService } from '@nestjs/common';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { abortableDelay } from './abortable-delay';
import { ABANDONED, type KafkaAbandonment } from './kafka-abandonment';
import { errorText } from './kafka-error-context';
import { isGroupMembershipLost, type KafkaGroupGeneration } from './kafka-group-generation';
import { keepHeartbeating } from './kafka-heartbeat';
import { isThenable } from '../../../dispatch/thenable';
import type {
  KafkaMessageProcessor,
  KafkaMessageSettlement,
  KafkaRetryLater,
} from './kafka-message.processor';
import { readKafkaRetryCopy, type KafkaRecordOrigin } from './kafka-retry-record';
import type { KafkaRetryWaits } from './kafka-retry-waits';

export interface KafkaBatchProcessorOptions {
  readonly topic: string;
  readonly groupId: string;
  readonly messages: Pick<KafkaMessageProcessor, 'process'>;
  /** Lets `stop()` give up on a batch whose message outlasts the shutdown timeout. */
  readonly abandonment: KafkaAbandonment;
  /** Where a failed message waits out its backoff, its partition paused. */
  readonly retryWaits: KafkaRetryWaits;
  /**
   * Longest retry delay waited out inside the batch, the message then handled again at once
   * without a refetch; a longer one pauses the partition (`retryWaits`). Default 0: never in the batch.
   */
  readonly inProcessRetryMaxMs?: number;
  /**
   * With `retryMode: 'retry-topic'`: the retry topic, whose batches hold retry copies, and where
   * a copy that is not due yet waits, its retry-topic partition paused.
   */
  readonly retryTopic?: { readonly topic: string; readonly dueWaits: KafkaRetryWaits };
  readonly heartbeatIntervalMs: number;
  /** Longest finished messages of a partition wait for a commit while its batch goes on. */
  readonly commitIntervalMs: number;
  /** The consumer was paused: the batch stops after its current message, the rest fetched again on resume. */
  readonly isPaused?: () => boolean;
  readonly logger: Pick<LoggerService, 'log' | 'warn'>;
}

/** Messages handled between two `isStale()` checks in a batch. */
const STALE_CHECK_INTERVAL = 64;
/**
 * Messages handled at once (their handlers returned no promise) between two readings of the
 * clock for `commitIntervalMs`: reading it costs more than the rest of the loop. After a
 * message that was awaited the clock is read at once.
 */
const CLOCK_CHECK_INTERVAL = 16;

/** How the work on a batch ended, when it did not end normally. */
type Interrupted = { readonly error: unknown } | typeof ABANDONED;

interface BatchProgress {
  /** Offset of the last settled message not yet resolved and committed. */
  pending?: string;
  /** Retry copies on their way to the retry topic, oldest first: nothing past one is committed before it is stored. */
  copies?: PendingCopy[];
}

/** A retry copy being stored (`retryMode: 'retry-topic'`), and what it came to once it has. */
interface PendingCopy {
  readonly offset: string;
  /** `BatchProgress.pending` when the copy was asked for: what may be committed should it fail. */
  readonly before?: string;
  result?: 'settled' | KafkaRetryLater;
  readonly done: Promise<void>;
}

/**
 * Works through one kafkajs batch (one partition) strictly in offset order, one message at a
 * time. Settled messages are resolved (kafkajs's fetch position moves past them) and their
 * partition's next offset committed, at least every `commitIntervalMs` (the clock read after
 * each awaited message and every CLOCK_CHECK_INTERVAL others) and when the batch ends: never
 * past a message that is not settled. Resolving happens at those checkpoints and when the
 * batch stops, not after every message: kafkajs reads resolved offsets only when it fetches
 * again or commits them itself (it does not: `autoCommit` is off), so the result is the same
 * and the hot path saves a 64-bit parse per message.
 *
 * A message that failed and has attempts left ends the batch: its partition is paused and
 * handed to `retryWaits`, which resumes it after the backoff, and kafkajs fetches the message
 * again from its (unresolved, uncommitted) offset. Waiting outside the batch matters because
 * kafkajs fetches again only once every batch of a fetch has returned: a backoff inside one
 * would hold up every other partition too.
 *
 * The batch also stops early, leaving the rest unresolved and uncommitted for redelivery, when the
 * generation halts (stop, or a heartbeat or commit says the group is rebalancing), when
 * kafkajs's runner stops (crash), when the partition was sought elsewhere (`isStale`, asked
 * every few messages and before each commit), or when `stop()` gives up waiting
 * (`abandonment`). When the group is rebalancing the batch rethrows
 * kafkajs's error, so kafkajs rejoins at once.
 */
export class KafkaBatchProcessor {
  constructor(private readonly options: KafkaBatchProcessorOptions) {}

  async process(payload: EachBatchPayload, generation: KafkaGroupGeneration): Promise<void> {
    const { partition } = payload.batch;
    const usable = (): boolean => payload.isRunning() && !payload.isStale();
    if (!generation.signal.aborted && usable()) {
      let heartbeatTrouble = false;
      const stopHeartbeat = keepHeartbeating(
        () => payload.heartbeat(),
        this.options.heartbeatIntervalMs,
        (error) => {
          if (isGroupMembershipLost(error)) {
            this.onMembershipLost(generation, partition, error);
          } else if (!heartbeatTrouble) {
            heartbeatTrouble = true;
            this.options.logger.warn(
              `Heartbeat of group ${this.options.groupId} failed while partition ${partition} of ${this.options.topic} is busy: ${errorText(error)}`,
            );
          }
        },
      );
      try {
        const progress: BatchProgress = {};
        // The race is per batch, not per message: one registration, whatever the batch size.
        const interrupted = await this.options.abandonment.race(
          this.work(payload, generation, progress).then(
            () => undefined,
            (error: unknown): Interrupted => ({ error }),
          ),
        );
        if (interrupted === ABANDONED) {
          // What settled before the message stop() gave up on is done: commit it.
          // Copies still on their way are not waited for: nothing from the first of them on counts.
          this.keepUpToFailedCopy(progress, progress.copies ?? []);
          if (progress.pending !== undefined && usable())
            await this.checkpoint(payload, generation, progress.pending);
        } else if (interrupted !== undefined) {
          throw interrupted.error;
        }
      } finally {
        stopHeartbeat();
      }
    }
    if (generation.reason === 'lost') throw generation.error;
  }

  private async work(
    payload: EachBatchPayload,
    generation: KafkaGroupGeneration,
    progress: BatchProgress,
  ): Promise<void> {
    const { batch } = payload;
    const { partition } = batch;
    const { commitIntervalMs, abandonment, retryTopic, groupId } = this.options;
    const usable = (): boolean => payload.isRunning() && !payload.isStale();
    const halt = generation.signal;
    const readingCopies = retryTopic !== undefined && batch.topic === retryTopic.topic;
    const retryWaits = readingCopies ? retryTopic.dueWaits : this.options.retryWaits;
    let lastCommit = Date.now();
    let unchecked = 0;
    let unclocked = 0;
    // Only a batch's first message can be one coming back from a retry wait.
    let attempt =
      batch.messages.length > 0 ? retryWaits.attemptOf(partition, batch.messages[0].offset) : 1;
    for (const message of batch.messages) {
      if (halt.aborted || !payload.isRunning() || this.options.isPaused?.()) break;
      let settling: KafkaMessageSettlement | Promise<KafkaMessageSettlement>;
      /** The copy's due time was waited out here: the clock has moved. */
      let waited = false;
      if (readingCopies) {
        const copy = readKafkaRetryCopy(message, groupId);
        if (copy === undefined) {
          // Another group's copy (they may share the retry topic), or not a copy at all: not ours.
          settling = 'settled';
        } else {
          const dueInMs = copy.dueAtMs - Date.now();
          if (dueInMs > 0 && dueInMs <= (this.options.inProcessRetryMaxMs ?? 0)) {
            // Due sooner than a refetch would bring it back: wait for it here.
            if (!(await abortableDelay(dueInMs, halt)) || !usable()) break;
            waited = true;
          } else if (dueInMs > 0) {
            // Not due yet: nothing after it is either (they were copied in order). The
            // retry-topic partition waits, paused, and the copy is fetched again once due.
            if (!halt.aborted && usable()) {
              payload.pause();
              retryWaits.wait(partition, message.offset, 0, dueInMs);
            }
            break;
          }
          // A copy that came back from a wait in its partition (the retry topic could not be
          // written) counts that wait's attempt too.
          const next = Math.max(copy.attempts + 1, attempt);
          settling = this.settle(payload, message, halt, next, copy.origin);
        }
      } else {
        settling = this.settle(payload, message, halt, attempt);
      }
      // Awaited only when a thenable: a batch whose handlers answer at once runs without microtasks.
      const pending = isThenable(settling);
      const awaited = waited || pending;
      let settlement = pending ? await settling : (settling as KafkaMessageSettlement);
      attempt = 1;
      if (typeof settlement === 'object' && 'copying' in settlement) {
        // The partition goes on while the copy is stored; commits wait for it.
        const copy: PendingCopy = {
          offset: message.offset,
          before: progress.pending,
          done: settlement.copying.then((result) => void (copy.result = result)),
        };
        (progress.copies ??= []).push(copy);
        settlement = 'settled';
      }
      // Given up on by stop() (which has committed what settled before), or, for a runner that
      // stopped or a partition sought elsewhere, of no use any more: neither this message nor
      // anything after it counts as done.
      if (abandonment.abandoned) return;
      if (settlement !== 'settled') {
        if (settlement !== 'abandoned' && !halt.aborted && usable()) {
          payload.pause();
          retryWaits.wait(partition, message.offset, settlement.attempt, settlement.delayMs);
        }
        break;
      }
      if (!payload.isRunning()) break;
      let commitDue = false;
      if (awaited || ++unclocked >= CLOCK_CHECK_INTERVAL) {
        unclocked = 0;
        commitDue = Date.now() - lastCommit >= commitIntervalMs;
      }
      // kafkajs builds a key string on every isStale() call: ask every few messages, and
      // before every commit (the one at the end of the batch included).
      if (commitDue || ++unchecked >= STALE_CHECK_INTERVAL) {
        unchecked = 0;
        if (payload.isStale()) break;
      }
      progress.pending = message.offset;
      if (commitDue) {
        const stored = await this.copiesStored(payload, halt, progress, retryWaits);
        if (progress.pending !== undefined)
          await this.checkpoint(payload, generation, progress.pending);
        progress.pending = undefined;
        lastCommit = Date.now();
        if (!stored) return;
      }
    }
    await this.copiesStored(payload, halt, progress, retryWaits);
    if (abandonment.abandoned) return;
    if (progress.pending !== undefined && usable()) {
      await this.checkpoint(payload, generation, progress.pending);
      progress.pending = undefined;
    }
  }

  /**
   * Waits for the batch's retry copies to be stored, then keeps `progress.pending` before the
   * first that could not be: that message's retry is then waited out in its partition (paused,
   * in `retryWaits`), and kafkajs fetches it again, with the messages after it. Returns `false`
   * when one failed: the batch must stop there.
   */
  private async copiesStored(
    payload: EachBatchPayload,
    halt: AbortSignal,
    progress: BatchProgress,
    retryWaits: KafkaRetryWaits,
  ): Promise<boolean> {
    const copies = progress.copies;
    if (copies === undefined || copies.length === 0) return true;
    progress.copies = undefined;
    await Promise.all(copies.map((copy) => copy.done));
    const failed = this.keepUpToFailedCopy(progress, copies);
    if (failed === undefined) return true;
    const retry = failed.result;
    if (typeof retry === 'object' && !halt.aborted && payload.isRunning() && !payload.isStale()) {
      payload.pause();
      retryWaits.wait(payload.batch.partition, failed.offset, retry.attempt, retry.delayMs);
    }
    return false;
  }

  /** Moves `progress.pending` back before the first copy not (yet) stored, and returns that copy. */
  private keepUpToFailedCopy(
    progress: BatchProgress,
    copies: readonly PendingCopy[],
  ): PendingCopy | undefined {
    const failed = copies.find((copy) => copy.result !== 'settled');
    if (failed !== undefined) progress.pending = failed.before;
    return failed;
  }

  /**
   * Runs `message` until it settles or needs a retry longer than `inProcessRetryMaxMs`: a
   * shorter retry delay is waited out here, heartbeats going on, and the message handled
   * again without a refetch. The wait ends at once when the generation halts (stop,
   * rebalance): the message is then `abandoned`, left uncommitted for redelivery.
   */
  private settle(
    payload: EachBatchPayload,
    message: KafkaMessage,
    halt: AbortSignal,
    attempt: number,
    origin?: KafkaRecordOrigin,
  ): KafkaMessageSettlement | Promise<KafkaMessageSettlement> {
    const settlement = this.options.messages.process(
      payload.batch.partition,
      message,
      halt,
      attempt,
      origin,
    );
    return isThenable(settlement) || this.retriesInBatch(settlement)
      ? this.settleInBatch(payload, message, halt, settlement, origin)
      : settlement;
  }

  /** Whether `settlement` is a retry whose delay is waited out in the batch (`inProcessRetryMaxMs`). */
  private retriesInBatch(settlement: KafkaMessageSettlement): settlement is KafkaRetryLater {
    const { inProcessRetryMaxMs = 0 } = this.options;
    return (
      typeof settlement === 'object' &&
      'delayMs' in settlement &&
      inProcessRetryMaxMs > 0 &&
      settlement.delayMs <= inProcessRetryMaxMs
    );
  }

  /** `settle` once its first attempt's settlement is a promise, or a retry waited out here. */
  private async settleInBatch(
    payload: EachBatchPayload,
    message: KafkaMessage,
    halt: AbortSignal,
    first: KafkaMessageSettlement | Promise<KafkaMessageSettlement>,
    origin?: KafkaRecordOrigin,
  ): Promise<KafkaMessageSettlement> {
    const { messages } = this.options;
    const { partition } = payload.batch;
    let settlement = await first;
    while (this.retriesInBatch(settlement)) {
      if (!(await abortableDelay(settlement.delayMs, halt))) return 'abandoned';
      if (!payload.isRunning() || payload.isStale()) return 'abandoned';
      settlement = await messages.process(partition, message, halt, settlement.attempt + 1, origin);
    }
    return settlement;
  }

  /** Resolves `offset` and commits `offset + 1` for the batch's partition: `offset` and everything before it are done. */
  private async checkpoint(
    payload: EachBatchPayload,
    generation: KafkaGroupGeneration,
    offset: string,
  ): Promise<void> {
    const { topic, partition } = payload.batch;
    payload.resolveOffset(offset);
    const next = (BigInt(offset) + 1n).toString();
    try {
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic, partitions: [{ partition, offset: next }] }],
      });
    } catch (error) {
      if (isGroupMembershipLost(error)) {
        this.onMembershipLost(generation, partition, error);
        return;
      }
      const stopping = generation.reason === 'stopping';
      this.options.logger.warn(
        `Committing offset ${next} of ${topic} partition ${partition} in group ${this.options.groupId} failed: ${errorText(error)}; ` +
          (stopping
            ? 'its messages will be delivered again'
            : 'the batch stops and kafkajs retries'),
      );
      // kafkajs's retry of the fetch loop (and, if that fails, its restart) takes over from here;
      // while stopping there is nothing left to retry.
      if (!stopping) throw error;
    }
  }

  private onMembershipLost(
    generation: KafkaGroupGeneration,
    partition: number,
    error: unknown,
  ): void {
    if (generation.signal.aborted) return;
    generation.halt('lost', error);
    this.options.logger.log(
      `Group ${this.options.groupId} is rebalancing (${errorText(error)}): ${this.options.topic} partition ${partition} ` +
        'stops after its current message and kafkajs rejoins',
    );
  }
}
