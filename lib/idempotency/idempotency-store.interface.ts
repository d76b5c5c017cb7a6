/**
 * What `begin` found for a key:
 * - `acquired`: no mark was there; this caller now holds the in-progress mark, under `owner`
 * - `completed`: a handler already finished for this key: do not run it again
 * - `in-progress`: another delivery holds the mark; it expires after `remainingMs`
 */
export type IdempotencyBeginResult =
  | { readonly state: 'acquired' }
  | { readonly state: 'completed' }
  | { readonly state: 'in-progress'; readonly remainingMs: number };

/**
 * Where idempotency marks live. Each transition is atomic in the store itself, so two
 * processes that share it never both acquire a key. Any failure to reach the store rejects
 * (the delivery is then retried); no method ever resolves as if the store had answered.
 */
export interface IdempotencyStore {
  /** Marks `key` in progress for `owner` for `leaseMs`, unless it is already marked. */
  begin(key: string, owner: string, leaseMs: number): Promise<IdempotencyBeginResult>;
  /** Marks `key` completed for `ttlMs`: later deliveries with it are duplicates. */
  complete(key: string, owner: string, ttlMs: number): Promise<void>;
  /** Drops `owner`'s in-progress mark on `key` (its handler failed), so a retry can run. */
  release(key: string, owner: string): Promise<void>;
  /** Closes connections; MessageBusModule calls it at application shutdown. */
  close?(): Promise<void>;
}
