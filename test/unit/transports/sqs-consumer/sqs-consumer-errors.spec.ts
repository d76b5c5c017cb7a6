import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqsClientClosedError } from '../../../../lib/transports/sqs/errors/sqs-client-closed.error';
import { SqsConsumerFailedError } from '../../../../lib/transports/sqs/errors/sqs-consumer-failed.error';
import { SqsOperationError } from '../../../../lib/transports/sqs/errors/sqs-operation.error';
import { SqsQueueDoesNotExistError } from '../../../../lib/transports/sqs/errors/sqs-queue-does-not-exist.error';
import {
  receiveBackoffMs,
  sleep,
} from '../../../../lib/transports/sqs/consumer/sqs-consumer-backoff';
import { isPermanentSqsError } from '../../../../lib/transports/sqs/consumer/sqs-consumer-errors';
import { useFakeClock } from '../../../support/fake-clock';

const operation = (code: string, httpStatusCode?: number) =>
  new SqsOperationError({ operation: 'ReceiveMessage', queue: 'q', code, httpStatusCode });

describe('isPermanentSqsError', () => {
  it('treats a missing queue, refused credentials and a closed client as permanent', () => {
    expect(
      isPermanentSqsError(
        new SqsQueueDoesNotExistError({
          operation: 'ReceiveMessage',
          queue: 'q',
          code: 'QueueDoesNotExist',
        }),
      ),
    ).toBe(true);
    expect(isPermanentSqsError(operation('AccessDenied'))).toBe(true);
    expect(isPermanentSqsError(operation('InvalidClientTokenId'))).toBe(true);
    expect(isPermanentSqsError(operation('SomethingNew', 403))).toBe(true);
    expect(isPermanentSqsError(new SqsClientClosedError('ReceiveMessage'))).toBe(true);
    expect(
      isPermanentSqsError(new SqsConsumerFailedError('q', 'its dead-letter queue does not exist')),
    ).toBe(true);
  });

  it('treats throttling, server errors and refused connections as passing', () => {
    expect(isPermanentSqsError(operation('ThrottlingException', 400))).toBe(false);
    expect(isPermanentSqsError(operation('RequestThrottled', 400))).toBe(false);
    expect(isPermanentSqsError(operation('ServiceUnavailable', 503))).toBe(false);
    expect(isPermanentSqsError(operation('ECONNREFUSED'))).toBe(false);
    expect(isPermanentSqsError(new Error('socket hang up'))).toBe(false);
  });
});

describe('receiveBackoffMs', () => {
  it('doubles from 250 ms up to the 20 s cap, jittered within the upper half', () => {
    expect([1, 2, 3, 4].map((failures) => receiveBackoffMs(failures, () => 1))).toEqual([
      250, 500, 1_000, 2_000,
    ]);
    expect(receiveBackoffMs(1, () => 0)).toBe(125);
    expect(receiveBackoffMs(50, () => 1)).toBe(20_000);
    expect(receiveBackoffMs(50, () => 0)).toBe(10_000);
  });
});

describe('sleep', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ends early when its signal aborts', async () => {
    const abort = new AbortController();
    const started = Date.now();
    let done = false;
    void sleep(10_000, abort.signal).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(done).toBe(false);

    abort.abort();
    await vi.advanceTimersByTimeAsync(0);

    // The clock did not move for it: the abort alone ended the wait, and left no timer behind.
    expect(done).toBe(true);
    expect(Date.now() - started).toBe(1_000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits the whole time without a signal, and not at all when its signal has already aborted', async () => {
    let done = false;
    void sleep(10_000).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(9_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);

    let skipped = false;
    void sleep(10_000, AbortSignal.abort()).then(() => {
      skipped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(skipped).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
