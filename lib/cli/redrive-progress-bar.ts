import { Presets, SingleBar } from 'cli-progress';
import type { RedriveProgress } from '../redrive/redrive-options.interface';

/**
 * The `dlq redrive` progress bar on stderr: dead letters examined of those waiting at start,
 * with the counts so far. cli-progress draws nothing when stderr is not a terminal.
 */
export class RedriveProgressBar {
  private readonly bar = new SingleBar(
    {
      format:
        '{bar} {value}/{total} | redriven {redriven} | skipped {skipped} | failed {failed} | {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );

  start(total: number): void {
    this.bar.start(total, 0, { redriven: 0, skipped: 0, failed: 0 });
  }

  update(progress: RedriveProgress): void {
    // SQS counts are approximate: the bar grows rather than overflow.
    if (progress.examined > this.bar.getTotal()) this.bar.setTotal(progress.examined);
    this.bar.update(progress.examined, {
      redriven: progress.redriven,
      skipped: progress.skipped,
      failed: progress.failed,
    });
  }

  stop(): void {
    this.bar.stop();
  }
}
