import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqsBatchError } from '../../../../lib/transports/sqs/errors/sqs-batch.error';
import { SqsOperationError } from '../../../../lib/transports/sqs/errors/sqs-operation.error';
import { SqsEntryBatcher } from '../../../../lib/transports/sqs/consumer/sqs-entry-batcher';

describe('SqsEntryBatcher', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a full batch of 10 at once, without waiting for the timer', async () => {
    const send = vi.fn(async (_entries: string[]) => undefined);
    const batcher = new SqsEntryBatcher(send, { flushDelayMs: 60_000 });

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => batcher.add(`h${index}`)),
    );

    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0][0]).toEqual(Array.from({ length: 10 }, (_, index) => `h${index}`));
    expect(results.every((result) => result.ok)).toBe(true);
  });

  it('sends a partial batch once the flush delay has passed since its first entry', async () => {
    vi.useFakeTimers();
    const send = vi.fn(async (_entries: string[]) => undefined);
    const batcher = new SqsEntryBatcher(send, { flushDelayMs: 5 });

    const first = batcher.add('a');
    await vi.advanceTimersByTimeAsync(3);
    const second = batcher.add('b');
    expect(send).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2);

    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0][0]).toEqual(['a', 'b']);
    await expect(first).resolves.toEqual({ ok: true });
    await expect(second).resolves.toEqual({ ok: true });
  });

  it('splits 23 entries into batches of 10, 10 and 3', async () => {
    const send = vi.fn(async (_entries: string[]) => undefined);
    const batcher = new SqsEntryBatcher(send, { flushDelayMs: 1 });

    await Promise.all(Array.from({ length: 23 }, (_, index) => batcher.add(`h${index}`)));

    expect(send.mock.calls.map((call) => call[0].length)).toEqual([10, 10, 3]);
  });

  it("gives each caller its own entry's failure from an SqsBatchError", async () => {
    const send = vi.fn(async (entries: string[]) => {
      throw new SqsBatchError(
        'DeleteMessageBatch',
        'q',
        entries.map((_, index) => ({ index })).filter((entry) => entry.index !== 1),
        [{ index: 1, code: 'ReceiptHandleIsInvalid', reason: 'expired', senderFault: true }],
      );
    });
    const batcher = new SqsEntryBatcher(send, { flushDelayMs: 1 });

    const results = await Promise.all(['a', 'b', 'c'].map((entry) => batcher.add(entry)));

    expect(results).toEqual([
      { ok: true },
      { ok: false, code: 'ReceiptHandleIsInvalid', reason: 'expired' },
      { ok: true },
    ]);
  });

  it('fails every entry of a request that failed as a whole, and keeps working', async () => {
    let calls = 0;
    const send = vi.fn(async () => {
      calls += 1;
      if (calls === 1) {
        throw new SqsOperationError({
          operation: 'DeleteMessageBatch',
          queue: 'q',
          code: 'ServiceUnavailable',
        });
      }
    });
    const batcher = new SqsEntryBatcher<string>(send, { flushDelayMs: 1 });

    const failed = await Promise.all(['a', 'b'].map((entry) => batcher.add(entry)));
    const later = await batcher.add('c');

    expect(failed).toEqual([
      expect.objectContaining({ ok: false, code: 'ServiceUnavailable' }),
      expect.objectContaining({ ok: false, code: 'ServiceUnavailable' }),
    ]);
    expect(later).toEqual({ ok: true });
  });

  it('drain() sends what waits and resolves once every batch is answered', async () => {
    let answer!: () => void;
    const send = vi.fn(() => new Promise<void>((resolve) => (answer = resolve)));
    const batcher = new SqsEntryBatcher<string>(send, { flushDelayMs: 60_000 });
    const result = batcher.add('a');

    let drained = false;
    const draining = batcher.drain().then(() => (drained = true));
    await Promise.resolve();
    expect(send).toHaveBeenCalledTimes(1);
    expect(drained).toBe(false);
    answer();
    await draining;

    expect(drained).toBe(true);
    await expect(result).resolves.toEqual({ ok: true });
    expect(batcher.size).toBe(0);
  });
});
