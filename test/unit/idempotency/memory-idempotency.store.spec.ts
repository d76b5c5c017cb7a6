import { describe, expect, it } from 'vitest';
import { MemoryIdempotencyStore } from '../../../lib/idempotency/memory-idempotency.store';

describe('MemoryIdempotencyStore transitions', () => {
  function store(): { store: MemoryIdempotencyStore; advance: (ms: number) => void } {
    let now = 1_000;
    return { store: new MemoryIdempotencyStore(() => now), advance: (ms) => (now += ms) };
  }

  it('free → in progress: the first begin acquires, a second sees it in progress with the lease left', async () => {
    const { store: s, advance } = store();
    expect(await s.begin('k', 'a', 5_000)).toEqual({ state: 'acquired' });
    advance(2_000);
    expect(await s.begin('k', 'b', 5_000)).toEqual({ state: 'in-progress', remainingMs: 3_000 });
  });

  it('in progress → completed: later begins see it completed until the TTL ends, then it is free', async () => {
    const { store: s, advance } = store();
    await s.begin('k', 'a', 5_000);
    await s.complete('k', 'a', 60_000);
    expect(await s.begin('k', 'b', 5_000)).toEqual({ state: 'completed' });
    advance(60_000);
    expect(await s.begin('k', 'b', 5_000)).toEqual({ state: 'acquired' });
  });

  it('in progress → free on release by its owner only', async () => {
    const { store: s } = store();
    await s.begin('k', 'a', 5_000);
    await s.release('k', 'b');
    expect((await s.begin('k', 'c', 5_000)).state).toBe('in-progress');
    await s.release('k', 'a');
    expect(await s.begin('k', 'c', 5_000)).toEqual({ state: 'acquired' });
  });

  it('a release never drops a completed mark', async () => {
    const { store: s } = store();
    await s.begin('k', 'a', 5_000);
    await s.complete('k', 'a', 60_000);
    await s.release('k', 'a');
    expect(await s.begin('k', 'b', 5_000)).toEqual({ state: 'completed' });
  });

  it('an in-progress mark whose holder crashed expires after the lease', async () => {
    const { store: s, advance } = store();
    await s.begin('k', 'crashed', 5_000);
    advance(4_999);
    expect((await s.begin('k', 'b', 5_000)).state).toBe('in-progress');
    advance(1);
    expect(await s.begin('k', 'b', 5_000)).toEqual({ state: 'acquired' });
    expect(s.size()).toBe(1);
  });

  it('keys are independent', async () => {
    const { store: s } = store();
    await s.begin('h1:k', 'a', 5_000);
    expect(await s.begin('h2:k', 'a', 5_000)).toEqual({ state: 'acquired' });
  });
});
