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
   * returns how many. After a wait, it takes the slots once the current turn of the event
   * loop is over (see below). Resolves 0 once `signal` aborts.
   */
  async acquireUpTo(max: number, signal?: AbortSignal): Promise<number> {
    for (;;) {
      if (this.free > 0) break;
      while (this.free <= 0) {
        if (signal?.aborted) return 0;
        await this.released(signal);
      }
      // Slots come back one at a time as the messages of one receive settle, each in its own
      // microtask: let the rest of that burst land first, so that the next receive asks for
      // all the slots it freed rather than for one message each.
      if (this.free < max) await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal?.aborted) return 0;
    }
    if (signal?.aborted) return 0;
    const granted = Math.min(max, this.free);
    this.used += granted;
    return granted;
  }

  private released(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
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

  /** Gives back `count` slots (unused reservations, or settled messages) and wakes a waiter. */
  release(count = 1): void {
    if (count <= 0) return;
    this.used = Math.max(0, this.used - count);
    // Wake every waiter: each takes what is free and the rest wait again.
    for (const wake of this.waiters.splice(0)) wake();
  }
}
