/** How a piece of work ended within its deadline. */
export type SettledWithin<T> =
  | { readonly outcome: 'done'; readonly value: T }
  | { readonly outcome: 'failed'; readonly error: unknown }
  | { readonly outcome: 'timed-out' };

/**
 * Runs `work` and resolves by `timeoutMs` at the latest, whatever the work does: at the
 * deadline its signal aborts (so it can release what it holds) and the result is `timed-out`.
 * Never rejects.
 */
export async function settleWithin<T>(
  work: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
): Promise<SettledWithin<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<SettledWithin<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve({ outcome: 'timed-out' });
    }, timeoutMs);
  });
  const attempt = Promise.resolve()
    .then(() => work(controller.signal))
    .then(
      (value): SettledWithin<T> => ({ outcome: 'done', value }),
      (error: unknown): SettledWithin<T> => ({ outcome: 'failed', error }),
    );
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
