import type { DeadLetter } from './dead-letter.interface';
import type { DeadLetterFilter } from './dead-letter-filter.interface';
import type { RedriveCounts } from './redrive-summary.interface';

/** What a redrive reports after every dead letter it examined. */
export interface RedriveProgress extends RedriveCounts {
  readonly letter: DeadLetter;
  readonly action: 'redriven' | 'skipped' | 'failed';
  /** Why it was skipped or failed, e.g. `filtered out`, `no origin`; never payload content. */
  readonly why?: string;
}

/** Options of `redrive()` on a dead-letter redriver. */
export interface RedriveOptions {
  /** Redrive here instead of each dead letter's origin (`bus-source-queue` / `bus-original-topic`). */
  readonly to?: string;
  readonly filter?: DeadLetterFilter;
  /** Count what would be redriven, change nothing. */
  readonly dryRun?: boolean;
  /** Redrive at most this many (dry runs count what they would redrive). */
  readonly limit?: number;
  /** At most this many copies per second. Default: as fast as the broker acknowledges. */
  readonly ratePerSecond?: number;
  /** Aborting ends the run after the dead letter in hand; the summary says `interrupted`. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RedriveProgress) => void;
}

/** Options of `list()` on a dead-letter redriver. */
export interface ListDeadLettersOptions {
  readonly filter?: DeadLetterFilter;
  /** At most this many. Default 100. */
  readonly limit?: number;
  readonly signal?: AbortSignal;
}
