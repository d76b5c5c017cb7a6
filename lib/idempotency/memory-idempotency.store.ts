import type { IdempotencyBeginResult, IdempotencyStore } from './idempotency-store.interface';

interface Mark {
  readonly state: 'in-progress' | 'completed';
  readonly owner: string;
  readonly expiresAt: number;
}

/**
 * Marks kept in this process: the default store, for tests and single-instance apps. Two app
 * instances do not see each other's marks; share a `RedisIdempotencyStore` for that.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly marks = new Map<string, Mark>();

  constructor(private readonly now: () => number = Date.now) {}

  begin(key: string, owner: string, leaseMs: number): Promise<IdempotencyBeginResult> {
    const mark = this.live(key);
    if (mark === undefined) {
      this.marks.set(key, { state: 'in-progress', owner, expiresAt: this.now() + leaseMs });
      return Promise.resolve({ state: 'acquired' });
    }
    if (mark.state === 'completed') return Promise.resolve({ state: 'completed' });
    return Promise.resolve({ state: 'in-progress', remainingMs: mark.expiresAt - this.now() });
  }

  complete(key: string, owner: string, ttlMs: number): Promise<void> {
    this.marks.set(key, { state: 'completed', owner, expiresAt: this.now() + ttlMs });
    return Promise.resolve();
  }

  release(key: string, owner: string): Promise<void> {
    const mark = this.live(key);
    if (mark?.state === 'in-progress' && mark.owner === owner) this.marks.delete(key);
    return Promise.resolve();
  }

  /** Marks held now (expired ones dropped): for tests. */
  size(): number {
    for (const key of [...this.marks.keys()]) this.live(key);
    return this.marks.size;
  }

  private live(key: string): Mark | undefined {
    const mark = this.marks.get(key);
    if (mark !== undefined && mark.expiresAt <= this.now()) {
      this.marks.delete(key);
      return undefined;
    }
    return mark;
  }
}
