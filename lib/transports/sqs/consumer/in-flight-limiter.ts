/**
 * Counts the messages a consumer holds (received and not yet settled) against its
 * `concurrency`. Pollers reserve slots before they receive and ask SQS for no more than they
 * reserved, so a big backlog never makes the consumer hold more than `concurrency` messages.
 */
export class InFlightLimiter {
  private used = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly capacity: number) {}

  /** Slots reserved or held. */
  get inUse(): number {
    return this.used;
  }

  get free(): number {
    return this.capacity - this.used;
  }

  /**
   * Waits until at least one slot is free, then reserves up to `max` of the free ones and
   * returns how many. Resolves 0 once `signal` aborts.
   */
  async acquireUpTo(max: number, signal?: AbortSignal): Promise<number> {
    while (this.free <= 0) {
      if (signal?.aborted) return 0;
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          signal?.removeEventListener('abort', wake);
          const index = this.waiters.indexOf(wake);
          if (index >= 0) this.waiters.splice(index, 1);
          resolve();
        };
        this.waiters.push(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
    if (signal?.aborted) return 0;
    const granted = Math.min(max, this.free);
    this.used += granted;
    return granted;
  }

  /** Gives back `count` slots (unused reservations, or settled messages) and wakes a waiter. */
  release(count = 1): void {
    if (count <= 0) return;
    this.used = Math.max(0, this.used - count);
    // Wake every waiter: each takes what is free and the rest wait again.
    for (const wake of this.waiters.splice(0)) wake();
  }
}
