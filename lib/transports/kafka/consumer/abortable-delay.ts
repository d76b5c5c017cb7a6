/**
 * Waits `ms` milliseconds unless `signal` aborts first. Resolves `true` when the time ran out,
 * `false` when the wait was cut short (at once if `signal` was already aborted). Never rejects.
 */
export function abortableDelay(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      },
      Math.max(0, ms),
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Exponential backoff with the upper half jittered, as `RetryPolicy.delayAfter`: the delay
 * before try `attempt + 1` after try `attempt` (1-based) failed.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number): number {
  const capped = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(capped / 2 + (Math.random() * capped) / 2);
}
