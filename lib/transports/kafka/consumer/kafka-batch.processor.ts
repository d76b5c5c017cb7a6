import type { LoggerService } from '@nestjs/common';
import type { EachBatchPayload } from 'kafkajs';
import { ABANDONED, type KafkaAbandonment } from './kafka-abandonment';
import { errorText } from './kafka-error-context';
import { isGroupMembershipLost, type KafkaGroupGeneration } from './kafka-group-generation';
import { keepHeartbeating } from './kafka-heartbeat';
import type { KafkaMessageProcessor } from './kafka-message.processor';
import type { KafkaRetryWaits } from './kafka-retry-waits';

export interface KafkaBatchProcessorOptions {
  readonly topic: string;
  readonly groupId: string;
  readonly messages: Pick<KafkaMessageProcessor, 'process'>;
  /** Lets `stop()` give up on a batch whose message outlasts the shutdown timeout. */
  readonly abandonment: KafkaAbandonment;
  /** Where a failed message waits out its backoff, its partition paused. */
  readonly retryWaits: KafkaRetryWaits;
  readonly heartbeatIntervalMs: number;
  /** Longest finished messages of a partition wait for a commit while its batch goes on. */
  readonly commitIntervalMs: number;
  /** The consumer was paused: the batch stops after its current message, the rest fetched again on resume. */
  readonly isPaused?: () => boolean;
  readonly logger: Pick<LoggerService, 'log' | 'warn'>;
}

/** Messages handled between two `isStale()` checks in a batch. */
const STALE_CHECK_INTERVAL = 64;

/** How the work on a batch ended, when it did not end normally. */
type Interrupted = { readonly error: unknown } | typeof ABANDONED;

interface BatchProgress {
  /** Offset of the last settled message not yet resolved and committed. */
  pending?: string;
}

/**
 * Works through one kafkajs batch (one partition) strictly in offset order, one message at a
 * time. Settled messages are resolved (kafkajs's fetch position moves past them) and their
 * partition's next offset committed, at least every `commitIntervalMs` and when the batch
 * ends: never past a message that is not settled. Resolving happens at those checkpoints and
 * when the batch stops, not after every message: kafkajs reads resolved offsets only when it
 * fetches again or commits them itself (it does not: `autoCommit` is off), so the result is
 * the same and the hot path saves a 64-bit parse per message.
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
    const { messages, commitIntervalMs, abandonment, retryWaits } = this.options;
    const usable = (): boolean => payload.isRunning() && !payload.isStale();
    const halt = generation.signal;
    let lastCommit = Date.now();
    let unchecked = 0;
    // Only a batch's first message can be one coming back from a retry wait.
    let attempt =
      batch.messages.length > 0 ? retryWaits.attemptOf(partition, batch.messages[0].offset) : 1;
    for (const message of batch.messages) {
      if (halt.aborted || !payload.isRunning() || this.options.isPaused?.()) break;
      const settlement = await messages.process(partition, message, halt, attempt);
      attempt = 1;
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
      const commitDue = Date.now() - lastCommit >= commitIntervalMs;
      // kafkajs builds a key string on every isStale() call: ask every few messages, and
      // before every commit (the one at the end of the batch included).
      if (commitDue || ++unchecked >= STALE_CHECK_INTERVAL) {
        unchecked = 0;
        if (payload.isStale()) break;
      }
      progress.pending = message.offset;
      if (commitDue) {
        await this.checkpoint(payload, generation, progress.pending);
        progress.pending = undefined;
        lastCommit = Date.now();
      }
    }
    if (progress.pending !== undefined && !abandonment.abandoned && usable()) {
      await this.checkpoint(payload, generation, progress.pending);
      progress.pending = undefined;
    }
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
