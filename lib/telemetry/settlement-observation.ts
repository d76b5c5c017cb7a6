import type { InboundDelivery } from '../dispatch/inbound-delivery.interface';
import type { Settlement } from '../dispatch/settlement-policy';

/** Finishes the telemetry of one delivery once its consumer has decided how to settle it. */
export type SettlementWatcher = (settlement: Settlement) => void;

const watchers = new WeakMap<InboundDelivery, SettlementWatcher>();
let watching = 0;

/**
 * Called by the telemetry stage for a delivery whose settlement depends on the consumer's
 * rules (a failure or a refusal: retry, dead-letter or leave): its span and count wait for it.
 */
export function awaitSettlement(delivery: InboundDelivery, watcher: SettlementWatcher): void {
  if (!watchers.has(delivery)) watching += 1;
  watchers.set(delivery, watcher);
}

/**
 * What a consumer decided for `delivery` (the `decideSettlement` result it carries out): each
 * transport calls this once, next to its `decideSettlement` call. Costs one comparison while
 * no delivery waits, which is always the case without telemetry.
 */
export function observeSettlement(delivery: InboundDelivery, settlement: Settlement): void {
  if (watching === 0) return;
  const watcher = watchers.get(delivery);
  if (watcher === undefined) return;
  watchers.delete(delivery);
  watching -= 1;
  watcher(settlement);
}
