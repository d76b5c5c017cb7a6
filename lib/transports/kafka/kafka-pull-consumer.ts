import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { KafkaReceiptHandleError } from './errors/kafka-receipt-handle.error';
import { KafkaGroupMembership } from './kafka-group-membership';

/** One record read ahead of `receive()`, exactly as kafkajs delivered it. */
export interface KafkaPulledRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly message: KafkaMessage;
}

/** kafkajs returned from a commit without sending it, as it does once its runner has stopped. */
export class KafkaCommitNotConfirmed extends Error {
  override readonly name = 'KafkaCommitNotConfirmed';
}

interface Waiter {
  settle(record: KafkaPulledRecord | null): void;
  fail(error: unknown): void;
}

type State = 'new' | 'starting' | 'running' | 'failed' | 'closing' | 'closed';

/**
 * Pull-style reading of one topic in one consumer group on top of kafkajs's push-style
 * `consumer.run`. kafkajs hands us batches; we keep at most `bufferSize` records and hand
 * them out one at a time through `receive()`.
 *
 * Semantics (at-least-once, per partition in offset order):
 * - Nothing is committed unless `commit()` is called: the run has `autoCommit: false`, and
 *   kafkajs's "resolved" offsets, which we advance for every buffered record, only move its
 *   fetch position. A record handed out but never committed is therefore delivered again
 *   after a restart or a rebalance.
 * - Nothing is skipped: when the buffer is full, the rest of a batch is left unresolved and
 *   its partition paused, so kafkajs fetches exactly those records again once `receive()`
 *   has drained the buffer to half and resumed the partition.
 * - Within a generation (the span between two group joins) each record is handed out once,
 *   in offset order per partition. A join, rebalance or crash drops the buffer and forgets
 *   what was handed out, because kafkajs then restarts every partition at the group's
 *   committed offset: records handed out but not committed come again.
 * - `commit()` commits offset + 1 only for a record handed out in the current generation of a
 *   partition still assigned here, so it can never commit past a record not yet handed out;
 *   commits are serialised and never move a partition backwards.
 * - The one window left is kafkajs's: a commit sent after the coordinator began a rebalance
 *   but before this member noticed is accepted for the old assignment. It can only mark done
 *   records this caller did hand out and finish, so it never loses one.
 */
/** How long start() waits for kafkajs to retry a first join that failed with a retriable error. */
const FIRST_JOIN_RETRY_TIMEOUT_MS = 30_000;

export class KafkaPullConsumer {
  private state: State = 'new';
  private buffer: KafkaPulledRecord[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly paused = new Set<number>();
  private assigned = new Set<number>();
  /** Per partition, the first offset buffered in this generation: where the group stood. */
  private readonly floor = new Map<number, bigint>();
  /** Per partition, the highest offset handed out in this generation. */
  private readonly delivered = new Map<number, bigint>();
  /** Per partition, the highest offset committed in this generation (the next one to read). */
  private readonly committed = new Map<number, bigint>();
  /** Commits kafkajs confirmed (by its commit event), as `partition:offset`. */
  private readonly confirmed = new Set<string>();
  private generation = 0;
  private failure: unknown;
  private membership?: KafkaGroupMembership;
  private commitChain: Promise<unknown> = Promise.resolve();
  private readonly removeListeners: Array<() => void> = [];

  constructor(
    private readonly consumer: Consumer,
    readonly topic: string,
    readonly groupId: string,
    private readonly bufferSize: number,
  ) {}

  /**
   * Connects, subscribes (a new group starts at the earliest offset) and starts the run.
   * Resolves once the consumer has joined its group, so that the first `receive()` does not
   * spend its wait on the join; rejects with the kafkajs error when it cannot start.
   */
  async start(): Promise<void> {
    if (this.state !== 'new')
      throw new Error(`KafkaPullConsumer.start() called twice for ${this.topic}`);
    this.state = 'starting';
    const membership = new KafkaGroupMembership(this.consumer, this.topic, {
      joined: (partitions) => this.onJoin(partitions),
      rebalancing: () => this.resetGeneration(),
      crashed: (error, restart) => this.onCrash(error, restart),
    });
    this.membership = membership;
    this.removeListeners.push(
      this.consumer.on(this.consumer.events.COMMIT_OFFSETS, ({ payload }) => {
        for (const topic of payload.topics) {
          if (topic.topic !== this.topic) continue;
          for (const { partition, offset } of topic.partitions)
            this.confirmed.add(`${partition}:${offset}`);
        }
      }),
    );
    try {
      await this.consumer.connect();
      await this.consumer.subscribe({ topics: [this.topic], fromBeginning: true });
      await this.consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: async (payload) => this.onBatch(payload),
      });
    } catch (error) {
      this.state = 'failed';
      this.failure = error;
      throw error;
    }
    // kafkajs reports a failed first join through its crash event, not by rejecting run().
    // A retriable one (a coordinator still loading on a fresh broker, say) is retried by
    // kafkajs itself: wait for that join, or for a crash it gives up on, within a bound.
    if (this.state === 'starting' && !membership.joined) {
      await membership.whenFirstJoinSettles(FIRST_JOIN_RETRY_TIMEOUT_MS);
    }
    if (this.state === 'starting' && membership.joined) {
      this.state = 'running';
      return;
    }
    this.state = 'failed';
    this.failure ??= new Error(`the consumer of ${this.topic} did not join group ${this.groupId}`);
    throw this.failure;
  }

  /** Why the consumer stopped for good, if it did; the client then replaces it. */
  get failed(): unknown {
    return this.state === 'failed' ? this.failure : undefined;
  }

  /** Records buffered and not yet handed out. */
  get buffered(): number {
    return this.buffer.length;
  }

  /**
   * The next record, waiting up to `timeoutMs` for one; `null` when none came, when
   * `signal` aborted the wait, or when the consumer closed meanwhile.
   */
  receive(timeoutMs: number, signal?: AbortSignal): Promise<KafkaPulledRecord | null> {
    if (this.state === 'failed') return Promise.reject(this.failure);
    if (this.state !== 'running') return Promise.resolve(null);
    const ready = this.take();
    if (ready || timeoutMs <= 0 || signal?.aborted) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
      };
      const waiter: Waiter = {
        settle: (record) => {
          finish();
          resolve(record);
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      };
      const onAbort = (): void => waiter.settle(null);
      const timer = setTimeout(() => waiter.settle(null), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** True when `offset` of `partition` was handed out here in the current generation. */
  hasDelivered(partition: number, offset: string): boolean {
    const delivered = this.delivered.get(partition);
    return this.assigned.has(partition) && delivered !== undefined && BigInt(offset) <= delivered;
  }

  /**
   * Commits `offset + 1` for `partition`: the record and all before it are done. Throws
   * `KafkaReceiptHandleError` for a record not handed out in this generation, and passes
   * kafkajs's error through when the coordinator refuses the commit.
   */
  commit(partition: number, offset: string, receiptHandle: string): Promise<void> {
    const run = this.commitChain.then(() => this.commitNow(partition, offset, receiptHandle));
    this.commitChain = run.catch(() => undefined);
    return run;
  }

  /** Leaves the group without committing anything; pending `receive()` calls resolve `null`. */
  async close(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    this.settleWaiters(null);
    this.buffer = [];
    try {
      await this.consumer.disconnect();
    } finally {
      this.membership?.detach();
      for (const remove of this.removeListeners.splice(0)) remove();
      this.state = 'closed';
    }
  }

  private async commitNow(partition: number, offset: string, receiptHandle: string): Promise<void> {
    if (this.state === 'failed') throw this.failure;
    if (!this.hasDelivered(partition, offset)) {
      throw new KafkaReceiptHandleError(receiptHandle, 'not-delivered', {
        topic: this.topic,
        groupIds: [this.groupId],
      });
    }
    const target = BigInt(offset) + 1n;
    const done = maxOf(this.floor.get(partition), this.committed.get(partition));
    // Already covered by an earlier commit: committing it again would move the group backwards.
    if (done !== undefined && target <= done) return;
    const generation = this.generation;
    const key = `${partition}:${target}`;
    this.confirmed.delete(key);
    await this.consumer.commitOffsets([
      { topic: this.topic, partition, offset: target.toString() },
    ]);
    // kafkajs returns quietly, committing nothing, when its runner has stopped meanwhile.
    if (!this.confirmed.delete(key)) {
      throw new KafkaCommitNotConfirmed(
        'the consumer stopped before the commit reached the group coordinator',
      );
    }
    if (generation === this.generation)
      this.committed.set(partition, maxOf(this.committed.get(partition), target) as bigint);
  }

  private async onBatch({
    batch,
    resolveOffset,
    pause,
    isRunning,
    isStale,
  }: EachBatchPayload): Promise<void> {
    const generation = this.generation;
    // No await in here: buffering a batch is one synchronous step, so receive() and the
    // group events never see half of it. Every exit goes through wakeWaiters(), since a batch
    // that fills the buffer is exactly when a receive() may be waiting.
    for (const message of batch.messages) {
      if (this.state !== 'running' && this.state !== 'starting') break;
      if (!isRunning() || isStale() || generation !== this.generation) break;
      if (this.buffer.length >= this.bufferSize) {
        // Left unresolved, the rest of the batch is fetched again after resume().
        pause();
        this.paused.add(batch.partition);
        break;
      }
      if (!this.floor.has(batch.partition)) this.floor.set(batch.partition, BigInt(message.offset));
      this.buffer.push({
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        message,
      });
      resolveOffset(message.offset);
    }
    this.wakeWaiters();
  }

  private take(): KafkaPulledRecord | null {
    const record = this.buffer.shift();
    if (!record) return null;
    this.delivered.set(record.partition, BigInt(record.offset));
    if (this.paused.size > 0 && this.buffer.length <= Math.floor(this.bufferSize / 2)) {
      const partitions = [...this.paused];
      this.paused.clear();
      this.safely(() => this.consumer.resume([{ topic: this.topic, partitions }]));
    }
    return record;
  }

  private wakeWaiters(): void {
    while (this.waiters.length > 0 && this.buffer.length > 0) {
      const record = this.take();
      this.waiters[0].settle(record);
    }
  }

  private onJoin(partitions: readonly number[]): void {
    this.resetGeneration();
    // Pauses survive a rejoin in kafkajs, but the buffer they protected is gone.
    this.safely(() => this.consumer.resume([{ topic: this.topic }]));
    this.assigned = new Set(partitions);
    if (this.state === 'starting') this.failure = undefined;
  }

  private onCrash(error: Error, restart: boolean): void {
    this.resetGeneration();
    this.assigned = new Set();
    // A crash while starting is start()'s failure unless kafkajs's own restart then joins.
    if (this.state === 'starting') this.failure = error;
    if (restart) return;
    this.failure = error;
    if (this.state === 'running') {
      this.state = 'failed';
      for (const waiter of [...this.waiters]) waiter.fail(error);
    }
  }

  private resetGeneration(): void {
    this.generation += 1;
    this.buffer = [];
    this.paused.clear();
    this.floor.clear();
    this.delivered.clear();
    this.committed.clear();
  }

  private settleWaiters(record: KafkaPulledRecord | null): void {
    for (const waiter of [...this.waiters]) waiter.settle(record);
  }

  /** For calls into kafkajs that throw only when its group is already gone (after a crash). */
  private safely(call: () => void): void {
    try {
      call();
    } catch {
      // Nothing to resume in a group that no longer exists.
    }
  }
}

function maxOf(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a > b ? a : b;
}
