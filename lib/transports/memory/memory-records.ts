import type { DispatchOutcome } from '../../dispatch/dispatch-outcome';
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

/** The final fate of one message in one consumer group. */
export interface MemorySettlement {
  readonly messageId: string;
  readonly source: string;
  readonly group: string;
  readonly attempts: number;
  readonly outcome: DispatchOutcome;
  readonly deadLettered: boolean;
}
