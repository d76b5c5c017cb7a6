import type { DispatchOutcome } from '../../dispatch/delivery-outcome';
import type { Settlement } from '../../dispatch/settlement-policy';
import type { PublishOptions } from '../transport.interface';

/** A message an app published on the in-memory bus. */
export interface MemoryPublishedRecord {
  readonly messageId: string;
  readonly destination: string;
  /** The wire text, exactly as a real transport would send it. */
  readonly body: string;
  readonly options: PublishOptions;
}

/** A message that reached a dead-letter channel, with why. */
export interface MemoryDeadLetterRecord {
  readonly messageId: string;
  readonly source: string;
  readonly group: string;
  readonly deadLetter: string;
  readonly body: string;
  readonly reason: string;
  readonly attempts: number;
}

/**
 * What became of one delivery of a message in one consumer group, once the settlement
 * policy reached a final action for it: acknowledged, dead-lettered, or left at its source
 * (an SQS queue without a dead-letter queue, where it comes back after a delay).
 */
export interface MemorySettlement {
  readonly messageId: string;
  readonly source: string;
  readonly group: string;
  readonly attempts: number;
  readonly outcome: DispatchOutcome;
  readonly action: Extract<Settlement['action'], 'acknowledge' | 'dead-letter' | 'leave'>;
  readonly deadLettered: boolean;
}

/** Hooks to watch the in-memory bus; every member is optional. */
export interface MemoryBusObserver {
  published?(record: MemoryPublishedRecord): void;
  deadLettered?(record: MemoryDeadLetterRecord): void;
  settled?(settlement: MemorySettlement): void;
}
