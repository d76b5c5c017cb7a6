import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SqsEntryResult } from '../../../../lib/transports/sqs/consumer/sqs-entry-batcher';
import { VisibilityHeartbeat } from '../../../../lib/transports/sqs/consumer/visibility-heartbeat';

interface Extension {
  readonly at: number;
  readonly receiptHandle: string;
  readonly visibilityTimeout: number;
}

function heartbeatWith(
  answer: (receiptHandle: string) => SqsEntryResult | Promise<SqsEntryResult> = () => ({
    ok: true,
  }),
) {
  const extensions: Extension[] = [];
  const failures: string[] = [];
  const heartbeat = new VisibilityHeartbeat({
    visibilityTimeout: 10,
    extend: async (receiptHandle, visibilityTimeout) => {
      extensions.push({ at: Date.now(), receiptHandle, visibilityTimeout });
      return answer(receiptHandle);
    },
    onFailure: (key) => failures.push(key),
  });
  return { heartbeat, extensions, failures };
}

describe('VisibilityHeartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('extends nothing while a message is young, then extends it to the full timeout at half of it', async () => {
    const { heartbeat, extensions } = heartbeatWith();
    heartbeat.track('m1', 'h1', 0);

    await vi.advanceTimersByTimeAsync(4_999);
    expect(extensions).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);

    expect(extensions).toEqual([{ at: 5_000, receiptHandle: 'h1', visibilityTimeout: 10 }]);
    expect(heartbeat.visibleUntil('m1')).toBe(15_000);
    await heartbeat.stop();
  });

  it('keeps extending a long-running message every half timeout', async () => {
    const { heartbeat, extensions } = heartbeatWith();
    heartbeat.track('m1', 'h1', 0);

    await vi.advanceTimersByTimeAsync(21_000);

    expect(extensions.map((extension) => extension.at)).toEqual([5_000, 10_000, 15_000, 20_000]);
    await heartbeat.stop();
  });

  it('extends messages that fall due close together in the same tick, so they share a batch', async () => {
    const { heartbeat, extensions } = heartbeatWith();
    heartbeat.track('m1', 'h1', 0);
    heartbeat.track('m2', 'h2', 300);
    heartbeat.track('m3', 'h3', 1_500);

    await vi.advanceTimersByTimeAsync(5_000);

    // m1 is due at 5 000 and m2 at 5 300, within the coalescing window of 1 s; m3 is not due until 6 500.
    expect(extensions.map((extension) => [extension.at, extension.receiptHandle])).toEqual([
      [5_000, 'h1'],
      [5_000, 'h2'],
    ]);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(extensions.map((extension) => [extension.at, extension.receiptHandle])).toContainEqual([
      6_500,
      'h3',
    ]);
    await heartbeat.stop();
  });

  it('stops extending an untracked message', async () => {
    const { heartbeat, extensions } = heartbeatWith();
    heartbeat.track('m1', 'h1', 0);
    await heartbeat.untrack('m1');

    await vi.advanceTimersByTimeAsync(30_000);

    expect(extensions).toEqual([]);
    expect(heartbeat.size).toBe(0);
  });

  it('untrack() resolves only after an extension on the wire is answered', async () => {
    let answer!: (result: SqsEntryResult) => void;
    const { heartbeat } = heartbeatWith(() => new Promise((resolve) => (answer = resolve)));
    heartbeat.track('m1', 'h1', 0);
    await vi.advanceTimersByTimeAsync(5_000);

    let untracked = false;
    const untracking = heartbeat.untrack('m1').then(() => (untracked = true));
    await vi.advanceTimersByTimeAsync(10);
    expect(untracked).toBe(false);
    answer({ ok: true });
    await untracking;

    expect(untracked).toBe(true);
  });

  it('drops a message whose receipt handle SQS says is spent, and reports it', async () => {
    const { heartbeat, extensions, failures } = heartbeatWith(() => ({
      ok: false,
      code: 'ReceiptHandleIsInvalid',
      reason: 'gone',
    }));
    heartbeat.track('m1', 'h1', 0);

    await vi.advanceTimersByTimeAsync(30_000);

    expect(extensions).toHaveLength(1);
    expect(failures).toEqual(['m1']);
    expect(heartbeat.size).toBe(0);
  });

  it('tries again a second later after a passing failure, while the message is still hidden', async () => {
    let calls = 0;
    const { heartbeat, extensions } = heartbeatWith(() =>
      ++calls === 1 ? { ok: false, code: 'ServiceUnavailable', reason: 'busy' } : { ok: true },
    );
    heartbeat.track('m1', 'h1', 0);

    await vi.advanceTimersByTimeAsync(6_000);

    expect(extensions.map((extension) => extension.at)).toEqual([5_000, 6_000]);
    expect(heartbeat.visibleUntil('m1')).toBe(16_000);
    await heartbeat.stop();
  });
});
