import type { SqsEntryResult } from './sqs-entry-batcher';
import { SQS_HEARTBEAT_SHARE } from './sqs-consumer.constants';

/** Asks SQS to hide a message for `visibilityTimeout` more seconds from now. */
export type VisibilityExtender = (
  receiptHandle: string,
  visibilityTimeout: number,
) => Promise<SqsEntryResult>;

export interface VisibilityHeartbeatOptions {
  /** Seconds each extension hides the message for: the consumer's visibility timeout. */
  readonly visibilityTimeout: number;
  readonly extend: VisibilityExtender;
  /** Told about each extension SQS refused; the heartbeat keeps or drops the message itself. */
  readonly onFailure?: (key: string, result: Extract<SqsEntryResult, { ok: false }>) => void;
  /** Share of the timeout after which a message is extended. Default 0.5. */
  readonly share?: number;
  readonly now?: () => number;
}

interface Tracked {
  readonly receiptHandle: string;
  /** When the message becomes visible again unless extended (epoch ms). */
  visibleUntil: number;
  /** When to extend it (epoch ms). */
  dueAt: number;
  extending?: Promise<void>;
}

/** Codes that say the receipt handle is spent: the message was deleted, or went back to the queue. */
const SPENT_HANDLE_CODES = new Set([
  'ReceiptHandleIsInvalid',
  'MessageNotInflight',
  'InvalidParameterValue',
]);

/** How soon an extension that failed for another reason is tried again. */
const RETRY_AFTER_MS = 1_000;

/**
 * Keeps the messages a consumer holds invisible to other receivers while they wait or run:
 * once `share` of the visibility timeout has passed since a message was received (or last
 * extended), its visibility is reset to the full timeout. One timer serves every message;
 * messages due about the same time are extended together, so their changes share a batch.
 */
export class VisibilityHeartbeat {
  private readonly tracked = new Map<string, Tracked>();
  private readonly timeoutMs: number;
  private readonly shareMs: number;
  /** Messages due this soon after the one that woke the timer are extended with it. */
  private readonly coalesceMs: number;
  private readonly now: () => number;
  private timer?: NodeJS.Timeout;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(private readonly options: VisibilityHeartbeatOptions) {
    this.timeoutMs = options.visibilityTimeout * 1_000;
    this.shareMs = this.timeoutMs * (options.share ?? SQS_HEARTBEAT_SHARE);
    this.coalesceMs = Math.min(1_000, this.timeoutMs / 10);
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.tracked.size;
  }

  /** Starts keeping a message hidden; `receivedAt` is when its receive was requested (the safe side). */
  track(key: string, receiptHandle: string, receivedAt: number): void {
    if (this.stopped) return;
    const entry: Tracked = {
      receiptHandle,
      visibleUntil: receivedAt + this.timeoutMs,
      dueAt: receivedAt + this.shareMs,
    };
    this.tracked.set(key, entry);
    if (entry.dueAt < this.timerAt) this.schedule();
  }

  /**
   * Stops extending a message. Resolves once an extension already on the wire is answered,
   * so that the caller's own visibility change (a retry delay, a release) lands after it.
   */
  async untrack(key: string): Promise<void> {
    const entry = this.tracked.get(key);
    if (!entry) return;
    this.tracked.delete(key);
    await entry.extending;
  }

  /** When the message would become visible if not extended again, or undefined if not tracked. */
  visibleUntil(key: string): number | undefined {
    return this.tracked.get(key)?.visibleUntil;
  }

  /** Stops the timer and waits for extensions on the wire; tracked messages are forgotten. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    const extending = [...this.tracked.values()].flatMap((entry) =>
      entry.extending ? [entry.extending] : [],
    );
    this.tracked.clear();
    await Promise.all(extending);
  }

  private schedule(): void {
    this.clearTimer();
    if (this.stopped) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.tracked.values()) {
      if (!entry.extending && entry.dueAt < earliest) earliest = entry.dueAt;
    }
    if (earliest === Number.POSITIVE_INFINITY) return;
    this.timerAt = earliest;
    this.timer = setTimeout(() => this.beat(), Math.max(0, earliest - this.now()));
    // The consumer's own work keeps the process alive; the heartbeat alone should not.
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private beat(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const horizon = this.now() + this.coalesceMs;
    for (const [key, entry] of this.tracked) {
      if (!entry.extending && entry.dueAt <= horizon) this.extend(key, entry);
    }
    this.schedule();
  }

  private extend(key: string, entry: Tracked): void {
    const requestedAt = this.now();
    entry.extending = this.options.extend(entry.receiptHandle, this.options.visibilityTimeout).then(
      (result) => this.extended(key, entry, requestedAt, result),
      (error: unknown) =>
        this.extended(key, entry, requestedAt, {
          ok: false,
          code: 'Error',
          reason: error instanceof Error ? error.message : String(error),
        }),
    );
  }

  private extended(key: string, entry: Tracked, requestedAt: number, result: SqsEntryResult): void {
    entry.extending = undefined;
    if (this.tracked.get(key) !== entry) return;
    if (result.ok) {
      entry.visibleUntil = requestedAt + this.timeoutMs;
      entry.dueAt = requestedAt + this.shareMs;
    } else {
      this.options.onFailure?.(key, result);
      const retryAt = this.now() + RETRY_AFTER_MS;
      if (SPENT_HANDLE_CODES.has(result.code) || retryAt >= entry.visibleUntil)
        this.tracked.delete(key);
      else entry.dueAt = retryAt;
    }
    this.schedule();
  }
}
