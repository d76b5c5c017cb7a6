/**
 * Why the work of a generation halts:
 * - `stopping`: the app is shutting down; finished work is committed, the rest is left.
 * - `lost`: the group is rebalancing or no longer knows this member; partitions may move to
 *   another member, so nothing new starts and the batch hands control back to kafkajs to rejoin.
 */
export type KafkaHaltReason = 'stopping' | 'lost';

/**
 * One generation of the consumer group as this member lives it: from joining until the next
 * rebalance, crash or stop. Batches of the generation watch its signal between messages and
 * during waits, so that none of them starts work on a partition it may no longer own.
 */
export class KafkaGroupGeneration {
  private readonly controller = new AbortController();
  private haltReason?: KafkaHaltReason;
  private haltError?: unknown;

  /** Aborted once the generation halts. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get reason(): KafkaHaltReason | undefined {
    return this.haltReason;
  }

  /** The kafkajs error that ended the generation, for `lost`. */
  get error(): unknown {
    return this.haltError;
  }

  /** The first halt wins: a stop during a rebalance stays a rebalance, and the other way round. */
  halt(reason: KafkaHaltReason, error?: unknown): void {
    if (this.haltReason) return;
    this.haltReason = reason;
    this.haltError = error;
    this.controller.abort();
  }
}

/** Errors after which kafkajs has to rejoin the group before this member may commit or fetch again. */
const MEMBERSHIP_LOST = new Set([
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
]);

/** True for a kafkajs error saying that this member's generation is over (kafkajs's `isRebalancing`, plus an unknown member). */
export function isGroupMembershipLost(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    MEMBERSHIP_LOST.has(String((error as { type?: unknown }).type))
  );
}
