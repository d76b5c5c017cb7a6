interface RetryWait {
  readonly offset: string;
  /** The attempt that failed: the message's next delivery is `attempt + 1`. */
  readonly attempt: number;
  timer?: NodeJS.Timeout;
}

/**
 * The messages waiting out a retry backoff, at most one per partition: the partition is paused
 * at its failed message (nothing after it is fetched or handled, so its order holds) and
 * resumed once the delay has passed, when kafkajs fetches the message again from its
 * uncommitted offset. The wait happens outside kafkajs's batch, so the other partitions keep
 * being fetched and handled meanwhile: a failing message holds up its own partition only.
 *
 * The attempt count lives here, in this process: a message that comes back after a rebalance
 * or a restart starts again from attempt 1 (the dead-letter header says "attempts in this
 * process").
 */
export class KafkaRetryWaits {
  private readonly waits = new Map<number, RetryWait>();

  /** @param resume resumes fetching from a partition (kafkajs `consumer.resume`). */
  constructor(private readonly resume: (partition: number) => void) {}

  /** Messages waiting for their retry right now. */
  get size(): number {
    return this.waits.size;
  }

  /** Partitions whose message still waits out its backoff (their partition stays paused). */
  waitingPartitions(): number[] {
    return [...this.waits].filter(([, wait]) => wait.timer !== undefined).map(([p]) => p);
  }

  /**
   * Pauses nothing itself (the caller has paused the partition): records that `offset`
   * failed on `attempt` and resumes the partition after `delayMs`.
   */
  wait(partition: number, offset: string, attempt: number, delayMs: number): void {
    this.forget(partition);
    const wait: RetryWait = { offset, attempt };
    wait.timer = setTimeout(
      () => {
        wait.timer = undefined;
        this.resume(partition);
      },
      Math.max(0, delayMs),
    );
    this.waits.set(partition, wait);
  }

  /**
   * The attempt number of a delivery of `offset`, the first message of a batch of `partition`:
   * one more than its last failed attempt when it is the message that was waiting, else 1.
   * Either way the partition's wait is over.
   */
  attemptOf(partition: number, offset: string): number {
    if (this.waits.size === 0) return 1;
    const wait = this.waits.get(partition);
    if (wait === undefined) return 1;
    this.forget(partition);
    return wait.offset === offset ? wait.attempt + 1 : 1;
  }

  /**
   * After a rebalance: forgets the waits of partitions this member no longer owns and resumes
   * them (a paused partition stays paused in kafkajs, should it come back later). The waits of
   * partitions it kept go on.
   */
  keepOnly(assigned: readonly number[]): void {
    for (const partition of [...this.waits.keys()]) {
      if (assigned.includes(partition)) continue;
      this.forget(partition);
      this.resume(partition);
    }
  }

  /** Cancels every wait without resuming (the consumer is stopping); returns how many there were. */
  clear(): number {
    const count = this.waits.size;
    for (const partition of [...this.waits.keys()]) this.forget(partition);
    return count;
  }

  private forget(partition: number): void {
    const wait = this.waits.get(partition);
    if (wait === undefined) return;
    clearTimeout(wait.timer);
    this.waits.delete(partition);
  }
}
