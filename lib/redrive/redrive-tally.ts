import type { DeadLetter } from './dead-letter.interface';
import type { RedriveOptions, RedriveProgress } from './redrive-options.interface';
import type { RedriveSummary } from './redrive-summary.interface';

/** The counts of one run, reported to `onProgress` after each dead letter. */
export class RedriveTally {
  examined = 0;
  redriven = 0;
  skipped = 0;
  failed = 0;

  constructor(private readonly options: RedriveOptions) {}

  /** The limit is reached: the next matching dead letter is left for another run. */
  get full(): boolean {
    return this.options.limit !== undefined && this.redriven >= this.options.limit;
  }

  record(letter: DeadLetter, action: RedriveProgress['action'], why?: string): void {
    this.examined += 1;
    this[action] += 1;
    this.options.onProgress?.({
      letter,
      action,
      ...(why !== undefined ? { why } : {}),
      examined: this.examined,
      redriven: this.redriven,
      skipped: this.skipped,
      failed: this.failed,
    });
  }

  summary(interrupted: boolean): RedriveSummary {
    return {
      examined: this.examined,
      redriven: this.redriven,
      skipped: this.skipped,
      failed: this.failed,
      dryRun: this.options.dryRun ?? false,
      interrupted,
    };
  }
}
