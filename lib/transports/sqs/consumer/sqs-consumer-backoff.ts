import {
  SQS_RECEIVE_BACKOFF_INITIAL_MS,
  SQS_RECEIVE_BACKOFF_MAX_MS,
} from './sqs-consumer.constants';

/**
 * The wait after the `failures`-th receive failure in a row: exponential, capped, the upper
 * half jittered so that several pollers (and instances) do not retry in step.
 */
export function receiveBackoffMs(
  failures: number,
  random: () => number = Math.random,
  initialMs = SQS_RECEIVE_BACKOFF_INITIAL_MS,
  maxMs = SQS_RECEIVE_BACKOFF_MAX_MS,
): number {
  const capped = Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(capped / 2 + (random() * capped) / 2);
}

/** Waits `ms`, or less when `signal` aborts first; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
