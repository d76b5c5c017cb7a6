/**
 * Whether a value is a thenable (a promise or promise-like): the pipeline awaits only those,
 * so that a handler or stage that answers at once costs no microtask.
 */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
