import type { ContenderResult } from './contender.interface';

/**
 * One clock for every contender: started right before consumer start-up, stopped at the last
 * message (or by `stop()`), bounded by a cap after which the run counts as timed out.
 */
export class BenchRunClock {
  handled = 0;
  timedOut = false;
  /** Set by contenders whose finish line is not the last count (SQS: the queue is empty). */
  stopsOnLastCount = true;
  /** Contender-specific figures for the report. */
  extra?: Record<string, number>;
  private startedAt = 0n;
  private firstAt = 0n;
  private stoppedAt = 0n;
  private resolveFinished!: () => void;
  private resolveCounted!: () => void;
  private cap?: NodeJS.Timeout;
  readonly finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));
  /** Resolves once every message was counted, or when the clock stops. */
  readonly counted = new Promise<void>((resolve) => (this.resolveCounted = resolve));

  constructor(
    private readonly messages: number,
    private readonly capMs: number,
  ) {}

  start(): void {
    this.startedAt = process.hrtime.bigint();
    this.cap = setTimeout(() => {
      this.timedOut = true;
      this.stop();
    }, this.capMs);
    this.cap.unref();
  }

  count(n = 1): void {
    if (this.firstAt === 0n) this.firstAt = process.hrtime.bigint();
    this.handled += n;
    if (this.handled >= this.messages) {
      this.resolveCounted();
      if (this.stopsOnLastCount) this.stop();
    }
  }

  stop(): void {
    if (this.stoppedAt !== 0n) return;
    this.stoppedAt = process.hrtime.bigint();
    clearTimeout(this.cap);
    this.resolveCounted();
    this.resolveFinished();
  }

  get stopped(): boolean {
    return this.stoppedAt !== 0n;
  }

  result(contender: string, error?: string): ContenderResult {
    const extra = this.extra;
    const end = this.stoppedAt || process.hrtime.bigint();
    const seconds = this.startedAt ? Number(end - this.startedAt) / 1e9 : 0;
    const handled = Math.min(this.handled, this.messages);
    const drainSeconds = this.firstAt ? Number(end - this.firstAt) / 1e9 : 0;
    return {
      contender,
      handled,
      messages: this.messages,
      seconds: Math.round(seconds * 1_000) / 1_000,
      msgsPerSec: seconds > 0 ? Math.round(handled / seconds) : 0,
      drainMsgsPerSec:
        handled > 1 && drainSeconds > 0 ? Math.round((handled - 1) / drainSeconds) : 0,
      startupMs: this.firstAt ? Math.round(Number(this.firstAt - this.startedAt) / 1e6) : 0,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      timedOut: this.timedOut,
      ...(error === undefined ? {} : { error }),
      ...(extra === undefined ? {} : { extra }),
    };
  }
}
