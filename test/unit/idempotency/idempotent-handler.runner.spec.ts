import { describe, expect, it, vi } from 'vitest';
import { RetryLater } from '../../../lib/dispatch/signals/retry-later.signal';
import { IdempotencyStoreUnavailableError } from '../../../lib/errors/idempotency-store-unavailable.error';
import { resolveIdempotency } from '../../../lib/idempotency/idempotency-policy';
import type { IdempotencyStore } from '../../../lib/idempotency/idempotency-store.interface';
import { runIdempotently } from '../../../lib/idempotency/idempotent-handler.runner';
import { MemoryIdempotencyStore } from '../../../lib/idempotency/memory-idempotency.store';
import type { MessageBusMessage } from '../../../lib/message/message-bus-message';

const message = { meta_data: { idempotency_key: 'key-1' } } as unknown as MessageBusMessage;
const target = { name: 'Payments.onPayment' };

function policy(store: IdempotencyStore = new MemoryIdempotencyStore(), extra = {}) {
  return resolveIdempotency({ store, leaseMs: 1_000, pollMs: 10, ...extra }, 'idempotency');
}

describe('runIdempotently', () => {
  it('runs the handler once per key and handler; a second delivery is a duplicate', async () => {
    const p = policy();
    const call = vi.fn(async () => undefined);
    expect(await runIdempotently(p, target, message, call)).toBe('ran');
    expect(await runIdempotently(p, target, message, call)).toBe('duplicate');
    expect(call).toHaveBeenCalledTimes(1);
    // Another handler of the same message has a key of its own.
    expect(await runIdempotently(p, { name: 'Audit.onPayment' }, message, call)).toBe('ran');
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('a failure releases the mark, so the retry runs and completes', async () => {
    const p = policy();
    const call = vi
      .fn<() => Promise<void>>()
      .mockRejectedValueOnce(new Error('locked'))
      .mockResolvedValue(undefined);
    await expect(runIdempotently(p, target, message, call)).rejects.toThrow('locked');
    expect(await runIdempotently(p, target, message, call)).toBe('ran');
    expect(await runIdempotently(p, target, message, call)).toBe('duplicate');
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('waits while another delivery holds the key, then reports the duplicate it completed', async () => {
    const store = new MemoryIdempotencyStore();
    const p = policy(store);
    let finish!: () => void;
    const first = runIdempotently(p, target, message, () => new Promise<void>((r) => (finish = r)));
    const second = vi.fn(async () => undefined);
    const waiting = runIdempotently(p, target, message, second);
    await new Promise((r) => setTimeout(r, 50));
    expect(second).not.toHaveBeenCalled();
    finish();
    expect(await first).toBe('ran');
    expect(await waiting).toBe('duplicate');
    expect(second).not.toHaveBeenCalled();
  });

  it('gives up waiting after waitMs with RetryLater, never running at the same time', async () => {
    const p = policy(new MemoryIdempotencyStore(), { waitMs: 30 });
    void runIdempotently(p, target, message, () => new Promise(() => undefined));
    const second = vi.fn(async () => undefined);
    await expect(runIdempotently(p, target, message, second)).rejects.toBeInstanceOf(RetryLater);
    expect(second).not.toHaveBeenCalled();
  });

  it('a store that is down fails the delivery (transient) and never runs the handler', async () => {
    const down: IdempotencyStore = {
      begin: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:6390')),
      complete: () => Promise.reject(new Error('down')),
      release: () => Promise.reject(new Error('down')),
    };
    const call = vi.fn(async () => undefined);
    const run = runIdempotently(policy(down), target, message, call);
    await expect(run).rejects.toBeInstanceOf(IdempotencyStoreUnavailableError);
    await expect(run).rejects.toThrow(/failed to begin.*ECONNREFUSED/);
    expect(call).not.toHaveBeenCalled();
  });

  it('retries the completion while the store is briefly down, so the handler is not run again', async () => {
    const store = new MemoryIdempotencyStore();
    const complete = vi
      .spyOn(store, 'complete')
      .mockRejectedValueOnce(new Error('LOADING'))
      .mockRejectedValueOnce(new Error('LOADING'));
    const p = policy(store);
    const call = vi.fn(async () => undefined);
    expect(await runIdempotently(p, target, message, call)).toBe('ran');
    expect(complete).toHaveBeenCalledTimes(3);
    expect(await runIdempotently(p, target, message, call)).toBe('duplicate');
  });

  it('acknowledges a handler that succeeded even when its completion cannot be stored within the lease', async () => {
    const store = new MemoryIdempotencyStore();
    vi.spyOn(store, 'complete').mockRejectedValue(new Error('down'));
    const call = vi.fn(async () => undefined);
    const p = resolveIdempotency({ store, leaseMs: 50, pollMs: 10 }, 'idempotency');
    expect(await runIdempotently(p, target, message, call)).toBe('ran');
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('follows the handler setting over the consumer one, and the key function over idempotency_key', async () => {
    const off = resolveIdempotency(false, 'idempotency');
    const call = vi.fn(async () => undefined);
    await runIdempotently(off, target, message, call);
    await runIdempotently(off, target, message, call);
    expect(call).toHaveBeenCalledTimes(2);

    const on = { ...target, idempotency: true };
    await runIdempotently(off, on, message, call);
    expect(await runIdempotently(off, on, message, call)).toBe('duplicate');

    const p = policy();
    const untracked = { ...target, idempotency: false };
    await runIdempotently(p, untracked, message, call);
    await runIdempotently(p, untracked, message, call);
    expect(call).toHaveBeenCalledTimes(5);

    const byReference = { ...target, idempotency: { key: () => 'same-for-all' } };
    const other = { meta_data: { idempotency_key: 'key-2' } } as unknown as MessageBusMessage;
    await runIdempotently(p, byReference, message, call);
    expect(await runIdempotently(p, byReference, other, call)).toBe('duplicate');
  });
});

describe('resolveIdempotency', () => {
  it('is off by default with the memory store, and a consumer overrides field by field', () => {
    const module = resolveIdempotency(undefined, 'idempotency');
    expect(module.enabled).toBe(false);
    expect(module.store).toBeInstanceOf(MemoryIdempotencyStore);
    const consumer = resolveIdempotency({ leaseMs: 5_000 }, 'consumers.sqs[0].idempotency', module);
    expect(consumer).toMatchObject({ enabled: true, leaseMs: 5_000, waitMs: 5_000 });
    expect(consumer.store).toBe(module.store);
    expect(resolveIdempotency(true, 'x', module).enabled).toBe(true);
  });

  it('refuses unknown keys and bad numbers, naming the setting', () => {
    expect(() => resolveIdempotency({ lease: 1 } as never, 'idempotency')).toThrow(
      /idempotency\.lease is not an option/,
    );
    expect(() => resolveIdempotency({ ttlMs: 0 }, 'consumers.kafka[0].idempotency')).toThrow(
      /consumers\.kafka\[0\]\.idempotency\.ttlMs must be a number/,
    );
    expect(() => resolveIdempotency({ store: {} as never }, 'idempotency')).toThrow(
      /idempotency\.store must be an IdempotencyStore/,
    );
    expect(() => resolveIdempotency('yes' as never, 'idempotency')).toThrow(/must be true, false/);
  });
});
