import { RedriveOptionError } from './errors/redrive-option.error';
import type { DeadLetterFilter } from './dead-letter-filter.interface';
import type { ListDeadLettersOptions, RedriveOptions } from './redrive-options.interface';

/** Throws `RedriveOptionError` naming the first wrong option. */
export function checkRedriveOptions(options: RedriveOptions): void {
  if (options.limit !== undefined) wholeAtLeast(options.limit, 'limit', 1);
  if (options.ratePerSecond !== undefined) {
    if (!Number.isFinite(options.ratePerSecond) || options.ratePerSecond <= 0) {
      throw new RedriveOptionError(
        'ratePerSecond',
        'must be a number above 0 (messages per second)',
      );
    }
  }
  if (options.to !== undefined && options.to.trim() === '') {
    throw new RedriveOptionError(
      'to',
      'must name a queue or topic; leave it out to use each origin',
    );
  }
  checkFilter(options.filter);
}

export function checkListOptions(options: ListDeadLettersOptions): void {
  if (options.limit !== undefined) wholeAtLeast(options.limit, 'limit', 1);
  checkFilter(options.filter);
}

function checkFilter(filter: DeadLetterFilter | undefined): void {
  if (filter?.olderThanMs !== undefined) wholeAtLeast(filter.olderThanMs, 'filter.olderThanMs', 0);
  if (filter?.newerThanMs !== undefined) wholeAtLeast(filter.newerThanMs, 'filter.newerThanMs', 0);
}

function wholeAtLeast(value: number, option: string, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RedriveOptionError(option, `must be a whole number of at least ${min}, got ${value}`);
  }
}
