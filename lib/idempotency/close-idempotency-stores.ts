import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import type { IdempotencyStore } from './idempotency-store.interface';

/** Closes each idempotency store the module and its consumers use, once, at shutdown. */
export async function closeIdempotencyStores(options: ResolvedMessageBusOptions): Promise<void> {
  const stores = new Set<IdempotencyStore>();
  for (const level of [options, ...options.sqsConsumers, ...options.kafkaConsumers]) {
    if (level.idempotency !== undefined) stores.add(level.idempotency.store);
  }
  const closing: Promise<void>[] = [];
  for (const store of stores) if (store.close !== undefined) closing.push(store.close());
  await Promise.all(closing);
}
