import { abortableDelay } from '../transports/kafka/consumer/abortable-delay';

/** Spaces copies to at most `ratePerSecond`; no wait at all without a rate. */
export class RedrivePacer {
  private next = 0;

  constructor(private readonly ratePerSecond?: number) {}

  /** Resolves `false` when `signal` aborted the wait: the caller then stops before copying. */
  async wait(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return false;
    if (this.ratePerSecond === undefined) return true;
    const now = Date.now();
    const ready = await abortableDelay(this.next - now, signal);
    this.next = Math.max(now, this.next) + 1_000 / this.ratePerSecond;
    return ready;
  }
}
