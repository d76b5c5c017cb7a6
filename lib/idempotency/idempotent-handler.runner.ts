import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { IdempotencyStoreUnavailableError } from '../errors/idempotency-store-unavailable.error';
import { RetryLater } from '../dispatch/signals/retry-later.signal';
import type { MessageBusMessage } from '../message/message-bus-message';
import type { HandlerIdempotency } from './idempotency-options.interface';
import type { IdempotencyPolicy } from './idempotency-policy';

/** What became of one handler's turn: it ran, or its key was already completed. */
export type IdempotentRun = 'ran' | 'duplicate';

/** The handler as this stage sees it: its name scopes the key. */
export interface IdempotentTarget {
  readonly name: string;
  readonly idempotency?: HandlerIdempotency;
}

const logger = new Logger('IdempotentHandling');

/** Whether idempotent handling guards this handler: its own setting, else the consumer's policy. */
export function idempotencyApplies(
  policy: IdempotencyPolicy | undefined,
  target: IdempotentTarget,
): policy is IdempotencyPolicy {
  if (policy === undefined) return false;
  const setting = target.idempotency;
  return setting === undefined ? policy.enabled === true : setting !== false;
}

/**
 * Wraps one handler's call: the key is marked in progress before it runs, completed after it
 * succeeds, released when it fails. A completed key skips the call; a key in progress
 * elsewhere is waited for (up to `waitMs`), then the delivery is retried later (`RetryLater`),
 * so the handler never runs twice at once for a key. A store that fails makes the delivery
 * fail (`IdempotencyStoreUnavailableError`), never run unguarded.
 */
export async function runIdempotently(
  policy: IdempotencyPolicy | undefined,
  target: IdempotentTarget,
  message: MessageBusMessage,
  call: () => unknown,
): Promise<IdempotentRun> {
  const setting = target.idempotency;
  if (!idempotencyApplies(policy, target)) {
    await call();
    return 'ran';
  }
  const keyOf = (typeof setting === 'object' ? setting.key : undefined) ?? policy.key;
  const base = keyOf ? keyOf(message, target.name) : message.meta_data.idempotency_key;
  if (base === undefined) {
    await call();
    return 'ran';
  }
  const key = `${target.name}:${base}`;
  const owner = randomUUID();
  if ((await acquire(policy, key, owner)) === 'completed') {
    logger.log(`Skipped ${target.name} for idempotency key ${base}: already completed (duplicate)`);
    return 'duplicate';
  }
  try {
    await call();
  } catch (error) {
    await policy.store.release(key, owner).catch((releaseError: unknown) => {
      logger.warn(
        `Could not release the idempotency mark of ${target.name} for key ${base}; it expires after ${policy.leaseMs} ms: ${String(releaseError)}`,
      );
    });
    throw error;
  }
  await completeWithin(policy, key, owner);
  return 'ran';
}

/** Takes the key's mark, or says it is completed; waits while another delivery holds it. */
async function acquire(
  policy: IdempotencyPolicy,
  key: string,
  owner: string,
): Promise<'acquired' | 'completed'> {
  const deadline = Date.now() + policy.waitMs;
  for (;;) {
    const found = await policy.store.begin(key, owner, policy.leaseMs).catch((error: unknown) => {
      throw new IdempotencyStoreUnavailableError('begin', error);
    });
    if (found.state !== 'in-progress') return found.state;
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new RetryLater(
        Math.min(Math.max(found.remainingMs, policy.pollMs), policy.leaseMs),
        `idempotency key in progress in another delivery for ${policy.waitMs} ms; retrying after it completes or its lease expires`,
      );
    }
    await sleep(Math.max(1, Math.min(policy.pollMs, left, found.remainingMs + 1)));
  }
}

/**
 * The handler succeeded: its completion must land, or a later copy would run it again. A
 * store that is briefly down (restarting) is tried again for up to the lease, after which
 * another delivery may take the key anyway. If it still fails, the delivery is acknowledged
 * all the same: failing it would make its own redelivery run the handler again for certain.
 */
async function completeWithin(
  policy: IdempotencyPolicy,
  key: string,
  owner: string,
): Promise<void> {
  const deadline = Date.now() + policy.leaseMs;
  const first = Math.min(100, policy.pollMs);
  let pause = first;
  for (;;) {
    try {
      await policy.store.complete(key, owner, policy.ttlMs);
      return;
    } catch (error) {
      const failure = new IdempotencyStoreUnavailableError('complete', error);
      if (Date.now() + pause > deadline) {
        logger.error(
          `The handler succeeded but idempotency key ${key} could not be marked completed within the lease (${policy.leaseMs} ms): a copy that arrives later may run it again. ${failure.message}`,
        );
        return;
      }
      if (pause === first) {
        logger.warn(
          `Could not mark idempotency key ${key} completed; trying again for up to ${policy.leaseMs} ms: ${failure.message}`,
        );
      }
      await sleep(pause);
      pause = Math.min(pause * 2, 1_000);
    }
  }
}
