/** A queue's approximate message counts, as `GetQueueAttributes` reports them. */
export interface SqsQueueDepth {
  /** `ApproximateNumberOfMessages`: waiting to be received. */
  readonly visible: number;
  /** `ApproximateNumberOfMessagesNotVisible`: received, not yet deleted. */
  readonly inFlight: number;
}

export type SqsDepthProbe = () => Promise<SqsQueueDepth>;

/** Longest a metrics collection waits for a sample in progress. */
const SAMPLE_WAIT_MS = 2_000;

/**
 * Samples one queue's depth for the gauge: at most one `GetQueueAttributes` per
 * `intervalMs`, however often metrics are collected; between samples the last one is
 * reported. A failed sample keeps the previous value (none before the first success).
 */
export class SqsDepthSampler {
  private last?: SqsQueueDepth;
  private sampledAt = Number.NEGATIVE_INFINITY;
  private sampling?: Promise<void>;

  constructor(
    private readonly probe: SqsDepthProbe,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async current(): Promise<SqsQueueDepth | undefined> {
    const now = this.now();
    if (this.sampling === undefined && now - this.sampledAt >= this.intervalMs) {
      this.sampledAt = now;
      this.sampling = this.probe().then(
        (depth) => {
          this.last = depth;
          this.sampling = undefined;
        },
        () => {
          this.sampling = undefined;
        },
      );
    }
    if (this.sampling !== undefined) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.sampling,
        new Promise<void>((resolve) => (timer = setTimeout(resolve, SAMPLE_WAIT_MS))),
      ]);
      clearTimeout(timer);
    }
    return this.last;
  }
}
