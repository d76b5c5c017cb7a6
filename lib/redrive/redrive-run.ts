import type { DeadLetter } from './dead-letter.interface';
import { filterMismatch } from './dead-letter-filter';
import { checkListOptions, checkRedriveOptions } from './redrive-option-checks';
import type { ListDeadLettersOptions, RedriveOptions } from './redrive-options.interface';
import { RedrivePacer } from './redrive-pacer';
import { RedriveTally } from './redrive-tally';

/** What one redrive run works with, on any transport; throws `RedriveOptionError` first. */
export function startRedriveRun(options: RedriveOptions): {
  readonly tally: RedriveTally;
  readonly pacer: RedrivePacer;
  readonly signal: AbortSignal;
} {
  checkRedriveOptions(options);
  return {
    tally: new RedriveTally(options),
    pacer: new RedrivePacer(options.ratePerSecond),
    signal: options.signal ?? new AbortController().signal,
  };
}

const DEFAULT_LIST_LIMIT = 100;

/** Collects the dead letters a listing keeps: those its filter passes, up to its limit. */
export class DeadLetterListing {
  readonly found: DeadLetter[] = [];
  private readonly limit: number;

  constructor(private readonly options: ListDeadLettersOptions) {
    checkListOptions(options);
    this.limit = options.limit ?? DEFAULT_LIST_LIMIT;
  }

  /** Keeps `letter` if it passes; resolves `true` once the limit is reached. */
  take(letter: DeadLetter): boolean {
    if (filterMismatch(letter, this.options.filter) === undefined) this.found.push(letter);
    return this.found.length >= this.limit;
  }
}
