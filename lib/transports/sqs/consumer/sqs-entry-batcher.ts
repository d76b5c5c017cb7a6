import { SqsBatchError } from '../errors/sqs-batch.error';
import { SQS_MAX_BATCH_ENTRIES } from '../sqs.constants';
import { SQS_BATCH_FLUSH_DELAY_MS } from './sqs-consumer.constants';

/** What became of one entry of a batch call. */
export type SqsEntryResult =
  { readonly ok: true } | { readonly ok: false; readonly code: string; readonly reason: string };

/** Sends one batch; resolves when all entries succeeded, throws `SqsBatchError` (or any error) otherwise. */
export type SqsBatchSend<TEntry> = (entries: TEntry[]) => Promise<unknown>;

export interface SqsEntryBatcherOptions {
  readonly maxEntries?: number;
  readonly flushDelayMs?: number;
}

interface Pending<TEntry> {
  readonly entry: TEntry;
  readonly resolve: (result: SqsEntryResult) => void;
}

/**
 * Collects entries from many settling messages into SQS batch calls (DeleteMessageBatch,
 * ChangeMessageVisibilityBatch): a batch goes out at 10 entries, or a few milliseconds
 * after its first entry, so a lone message is not held back. Each caller learns its own
 * entry's outcome; a failed request fails its entries, never the batcher.
 */
export class SqsEntryBatcher<TEntry> {
  private readonly maxEntries: number;
  private readonly flushDelayMs: number;
  private pending: Pending<TEntry>[] = [];
  private timer?: NodeJS.Timeout;
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly send: SqsBatchSend<TEntry>,
    options: SqsEntryBatcherOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? SQS_MAX_BATCH_ENTRIES;
    this.flushDelayMs = options.flushDelayMs ?? SQS_BATCH_FLUSH_DELAY_MS;
  }

  /** Entries waiting for their batch to go out, plus batches on the wire. */
  get size(): number {
    return this.pending.length + this.sending.size;
  }

  add(entry: TEntry): Promise<SqsEntryResult> {
    return new Promise<SqsEntryResult>((resolve) => {
      this.pending.push({ entry, resolve });
      if (this.pending.length >= this.maxEntries) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.flushDelayMs);
    });
  }

  /** Sends whatever is waiting now, in batches of at most `maxEntries`. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxEntries);
      const sent = this.sendBatch(batch).finally(() => this.sending.delete(sent));
      this.sending.add(sent);
    }
  }

  /** Flushes and waits until every batch has been answered. */
  async drain(): Promise<void> {
    this.flush();
    while (this.sending.size > 0) await Promise.all([...this.sending]);
  }

  private async sendBatch(batch: Pending<TEntry>[]): Promise<void> {
    let results: SqsEntryResult[];
    try {
      await this.send(batch.map((pending) => pending.entry));
      results = batch.map(() => ({ ok: true }));
    } catch (error) {
      results = entryResults(batch.length, error);
    }
    batch.forEach((pending, index) => pending.resolve(results[index]));
  }
}

/** Spreads a failed batch call over its entries: per entry for `SqsBatchError`, all alike otherwise. */
function entryResults(count: number, error: unknown): SqsEntryResult[] {
  if (error instanceof SqsBatchError) {
    const failures = new Map(error.failed.map((failure) => [failure.index, failure]));
    return Array.from({ length: count }, (_, index) => {
      const failure = failures.get(index);
      return failure ? { ok: false, code: failure.code, reason: failure.reason } : { ok: true };
    });
  }
  const code =
    typeof (error as { code?: unknown })?.code === 'string'
      ? (error as { code: string }).code
      : ((error as Error)?.name ?? 'Error');
  const reason = error instanceof Error ? error.message : String(error);
  return Array.from({ length: count }, () => ({ ok: false, code, reason }));
}
