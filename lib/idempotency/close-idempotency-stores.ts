import type { ResolvedMessageBusOptions } from '../options/resolved-options';

/** Closes each idempotency store the module and its consumers use, once, at shutdown. */
export async function closeIdempotencyStores(options: ResolvedMessageBusOptions): Promise<void> {
  const stores = new Set(
    [options, ...options.sqsConsumers, ...options.kafkaConsumers].map((o) => o.idempotency?.store),
  );
  await Promise.all([...stores].map((store) => store?.close?.()));
}
