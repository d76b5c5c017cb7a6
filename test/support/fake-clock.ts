import { vi } from 'vitest';

type FakedTimer = NonNullable<
  NonNullable<Parameters<typeof vi.useFakeTimers>[0]>['toFake']
>[number];

/** What the consumer loops time themselves with. Microtasks and `process.nextTick` stay real. */
const LOOP_TIMERS: readonly FakedTimer[] = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'Date',
];

export interface FakeClockOptions {
  /**
   * Fake `setImmediate` too, so that a fake client's "I/O turn" costs fake time (the clock
   * moves 1 ms per immediate scheduled while it ticks) and a loop that spins shows up as
   * fake milliseconds. Leave it real where a helper waits for a real turn of the event loop.
   */
  readonly immediates?: boolean;
}

/**
 * Puts the loop's timers on Vitest's fake clock: time passes only when the test advances
 * it, so a spec asserts the order and count of what the loop did and the delays it asked
 * for, never how fast the machine was. Call `vi.useRealTimers()` after each test.
 */
export function useFakeClock(options: FakeClockOptions = {}): void {
  vi.useFakeTimers({
    toFake: [
      ...LOOP_TIMERS,
      ...(options.immediates ? (['setImmediate', 'clearImmediate'] as const) : []),
    ],
  });
}

/**
 * Advances the fake clock 1 ms at a time until `check()` holds, and resolves with the fake
 * milliseconds that took. Fails once `budgetMs` of fake time went by without it: the loop
 * did not do it, or not within the delay it should have asked for.
 */
export async function advanceUntil(
  what: string,
  check: () => boolean,
  budgetMs = 5_000,
): Promise<number> {
  const startedAt = Date.now();
  // Let what is already resolved run before the first look.
  await vi.advanceTimersByTimeAsync(0);
  while (!check()) {
    if (Date.now() - startedAt >= budgetMs)
      throw new Error(`${what} did not happen within ${budgetMs} ms of fake time`);
    await vi.advanceTimersByTimeAsync(1);
  }
  return Date.now() - startedAt;
}

/** Advances the fake clock until `promise` settles (within `budgetMs` of fake time), then returns its result. */
export async function advanceUntilSettled<T>(
  what: string,
  promise: Promise<T>,
  budgetMs = 5_000,
): Promise<T> {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  // Rejections surface through the `return` below, not as unhandled ones while the clock moves.
  tracked.catch(() => undefined);
  await advanceUntil(what, () => settled, budgetMs);
  return tracked;
}
