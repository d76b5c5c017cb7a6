import type { MessageBusMessage } from '../message/message-bus-message';
import type { IdempotencyStore } from './idempotency-store.interface';

/**
 * The key a handler's delivery is tracked under, before it is scoped by handler; return
 * `undefined` to run the handler untracked. Default: `meta_data.idempotency_key`.
 */
export type IdempotencyKeyFunction = (
  message: MessageBusMessage,
  handler: string,
) => string | undefined;

/**
 * Idempotent handling: each handler runs once per key. Module-wide (`idempotency`), per
 * consumer (`consumers.sqs[i].idempotency`, overriding the module's field by field; `false`
 * turns it off there) and per handler (`@OnEvent(type, { idempotency: true })`).
 */
export interface IdempotencyOptions {
  /** Default true once the option is given; `false` keeps the settings but tracks nothing. */
  enabled?: boolean;
  /** Where marks live. Default: a `MemoryIdempotencyStore` (this process only). */
  store?: IdempotencyStore;
  /**
   * How long an in-progress mark holds before it expires, so that a crashed process does not
   * block its key for ever. Longer than your slowest handler. Default 60 000 ms.
   */
  leaseMs?: number;
  /** How long a completed key is remembered: duplicates within it are skipped. Default 24 h. */
  ttlMs?: number;
  /**
   * How long a delivery whose key is in progress elsewhere waits for it to complete (or for
   * its lease to expire) before it is retried later. Default `leaseMs`.
   */
  waitMs?: number;
  /** How often such a delivery looks at the store again while it waits. Default 200 ms. */
  pollMs?: number;
  /** Overrides the key; scoped by handler all the same. */
  key?: IdempotencyKeyFunction;
}

/** A handler's own setting: on, off, or on with its own key. */
export type HandlerIdempotency = boolean | { readonly key?: IdempotencyKeyFunction };
