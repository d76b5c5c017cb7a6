import type { Redis, RedisOptions } from 'ioredis';
import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import type { IdempotencyBeginResult, IdempotencyStore } from './idempotency-store.interface';

export interface RedisIdempotencyStoreOptions {
  /** `redis://host:port/db`; or pass `client`. */
  url?: string;
  /** A connected ioredis client the store uses (and does not close). */
  client?: Redis;
  /** Extra ioredis options for the connection made from `url`. */
  redis?: RedisOptions;
  /** Prefix of every key the store writes. Default `message-bus:idempotency:`. */
  keyPrefix?: string;
}

const IN_PROGRESS = 'p:';
const COMPLETED = 'c:';

/**
 * begin: take the key if free (SET PX), else say what holds it; one script, so that no other
 * client slips between the read and the write. Returns {state, remaining ms}.
 */
const BEGIN_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {'acquired', 0}
end
if string.sub(v, 1, 2) == '${COMPLETED}' then return {'completed', 0} end
return {'in-progress', redis.call('PTTL', KEYS[1])}
`;

/** release: drop the mark only while it is still this owner's in-progress mark. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Marks in Redis, shared by every instance of the app. Commands fail fast while Redis is
 * down (a transient failure, retried by the consumer) instead of queueing for a reconnect.
 * Needs the optional peer `ioredis`.
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly client: Redis;
  private readonly owned: boolean;
  private readonly prefix: string;

  constructor(options: RedisIdempotencyStoreOptions) {
    this.prefix = options.keyPrefix ?? 'message-bus:idempotency:';
    if (options.client !== undefined) {
      this.client = options.client;
      this.owned = false;
      return;
    }
    if (typeof options.url !== 'string' || options.url.trim() === '') {
      throw new MessageBusConfigurationError(
        'idempotency.store',
        'needs a Redis url or client: new RedisIdempotencyStore({ url: "redis://127.0.0.1:6379" })',
      );
    }
    const RedisClient = loadIoredis();
    this.client = new RedisClient(options.url, {
      maxRetriesPerRequest: 1,
      commandTimeout: 2_000,
      ...options.redis,
    });
    // Reconnection is ioredis's job; a command sent meanwhile rejects, which is what we report.
    this.client.on('error', () => undefined);
    this.owned = true;
  }

  async begin(key: string, owner: string, leaseMs: number): Promise<IdempotencyBeginResult> {
    const [state, remaining] = (await this.client.eval(
      BEGIN_SCRIPT,
      1,
      this.prefix + key,
      IN_PROGRESS + owner,
      String(Math.max(1, Math.ceil(leaseMs))),
    )) as [string, number];
    if (state === 'acquired') return { state: 'acquired' };
    if (state === 'completed') return { state: 'completed' };
    return { state: 'in-progress', remainingMs: Math.max(0, Number(remaining)) };
  }

  async complete(key: string, owner: string, ttlMs: number): Promise<void> {
    await this.client.set(
      this.prefix + key,
      COMPLETED + owner,
      'PX',
      Math.max(1, Math.ceil(ttlMs)),
    );
  }

  async release(key: string, owner: string): Promise<void> {
    await this.client.eval(RELEASE_SCRIPT, 1, this.prefix + key, IN_PROGRESS + owner);
  }

  async close(): Promise<void> {
    if (!this.owned) return;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

function loadIoredis(): new (url: string, options: RedisOptions) => Redis {
  try {
    // Loaded only when a Redis store is built: ioredis is an optional peer.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require('ioredis') as { default?: unknown; Redis?: unknown };
    return (loaded.Redis ?? loaded.default ?? loaded) as new (
      url: string,
      options: RedisOptions,
    ) => Redis;
  } catch (error) {
    throw new MessageBusConfigurationError(
      'idempotency.store',
      `is a RedisIdempotencyStore, which needs the package ioredis: npm install ioredis (${String(error)})`,
    );
  }
}
