import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import type { IdempotencyKeyFunction, IdempotencyOptions } from './idempotency-options.interface';
import type { IdempotencyStore } from './idempotency-store.interface';
import { MemoryIdempotencyStore } from './memory-idempotency.store';

/** Idempotency settings after start-up checks, every default filled in. */
export interface IdempotencyPolicy {
  /** Whether handlers without a setting of their own are tracked. */
  readonly enabled: boolean;
  readonly store: IdempotencyStore;
  readonly leaseMs: number;
  readonly ttlMs: number;
  readonly waitMs: number;
  readonly pollMs: number;
  readonly key?: IdempotencyKeyFunction;
}

export const IDEMPOTENCY_OPTION_KEYS: Record<keyof IdempotencyOptions, true> = {
  enabled: true,
  store: true,
  leaseMs: true,
  ttlMs: true,
  waitMs: true,
  pollMs: true,
  key: true,
};

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
const DEFAULT_POLL_MS = 200;

/**
 * The module's policy, or a consumer's on top of it: `true`/`false` switch tracking on or
 * off with the settings above; an object overrides them field by field. Off by default.
 */
export function resolveIdempotency(
  value: boolean | IdempotencyOptions | undefined,
  setting: string,
  above?: IdempotencyPolicy,
): IdempotencyPolicy {
  const base: IdempotencyPolicy = above ?? {
    enabled: false,
    store: new MemoryIdempotencyStore(),
    leaseMs: DEFAULT_LEASE_MS,
    ttlMs: DEFAULT_TTL_MS,
    waitMs: DEFAULT_LEASE_MS,
    pollMs: DEFAULT_POLL_MS,
  };
  if (value === undefined) return base;
  if (typeof value === 'boolean') return { ...base, enabled: value };
  if (typeof value !== 'object' || value === null) {
    throw new MessageBusConfigurationError(
      setting,
      'must be true, false or an options object ({ store, leaseMs, ttlMs, waitMs, pollMs, key })',
    );
  }
  for (const key of Object.keys(value)) {
    if (!(key in IDEMPOTENCY_OPTION_KEYS)) {
      throw new MessageBusConfigurationError(
        `${setting}.${key}`,
        `is not an option; the options are ${Object.keys(IDEMPOTENCY_OPTION_KEYS).join(', ')}`,
      );
    }
  }
  const store = value.store ?? base.store;
  if (typeof store?.begin !== 'function' || typeof store.complete !== 'function') {
    throw new MessageBusConfigurationError(
      `${setting}.store`,
      'must be an IdempotencyStore (begin, complete, release), e.g. new RedisIdempotencyStore({ url })',
    );
  }
  if (value.key !== undefined && typeof value.key !== 'function') {
    throw new MessageBusConfigurationError(`${setting}.key`, 'must be a function of the message');
  }
  const leaseMs = milliseconds(value.leaseMs, `${setting}.leaseMs`) ?? base.leaseMs;
  return {
    enabled: value.enabled ?? true,
    store,
    leaseMs,
    ttlMs: milliseconds(value.ttlMs, `${setting}.ttlMs`) ?? base.ttlMs,
    waitMs:
      milliseconds(value.waitMs, `${setting}.waitMs`, 0) ??
      (value.leaseMs !== undefined ? leaseMs : base.waitMs),
    pollMs: milliseconds(value.pollMs, `${setting}.pollMs`) ?? base.pollMs,
    key: value.key ?? base.key,
  };
}

function milliseconds(value: unknown, setting: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new MessageBusConfigurationError(
      setting,
      `must be a number of milliseconds, ${min} or more`,
    );
  }
  return value;
}
