/** What a wait ends with when the consumer stops waiting for it. */
export const ABANDONED: unique symbol = Symbol('abandoned');
export type Abandoned = typeof ABANDONED;

/**
 * Lets `stop()` stop waiting for handlers and dead-letter publishes that outlast its timeout.
 * The work itself goes on (a promise cannot be cancelled), but its result is ignored, so its
 * message is neither resolved nor committed and is delivered again.
 */
export class KafkaAbandonment {
  private readonly waiting = new Set<() => void>();
  private given = false;

  get abandoned(): boolean {
    return this.given;
  }

  /** Resolves as `work` does, or with `ABANDONED` once `abandonAll()` is called. `work` must not reject. */
  race<T>(work: Promise<T>): Promise<T | Abandoned> {
    if (this.given) return Promise.resolve(ABANDONED);
    return new Promise((resolve) => {
      const giveUp = (): void => resolve(ABANDONED);
      this.waiting.add(giveUp);
      void work.then((value) => {
        this.waiting.delete(giveUp);
        resolve(value);
      });
    });
  }

  abandonAll(): void {
    this.given = true;
    for (const giveUp of this.waiting) giveUp();
    this.waiting.clear();
  }
}
