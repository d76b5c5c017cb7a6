/**
 * Settles like `pending`, or with `undefined` as soon as `signal` aborts (at once when it
 * already has). What `pending` does after the abort is dropped: its late value, or its
 * failure, which is then caught so that it is not reported as unhandled.
 */
export function unlessAborted<T>(pending: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) {
    pending.catch(() => undefined);
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((resolve, reject) => {
    const abandon = (): void => {
      pending.catch(() => undefined);
      resolve(undefined);
    };
    signal.addEventListener('abort', abandon, { once: true });
    pending.then(
      (value) => {
        signal.removeEventListener('abort', abandon);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abandon);
        reject(error);
      },
    );
  });
}
