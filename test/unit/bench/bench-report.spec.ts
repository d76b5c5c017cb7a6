import { describe, expect, it } from 'vitest';
import { buildReport, formatReport, type BenchRun } from '../../../bench/bench-report';
import {
  checkPaymentByHand,
  envelopeIndex,
  failsFirstAttempt,
  paymentEnvelopeText,
} from '../../../bench/payment-envelope';
import { BenchRunClock } from '../../../bench/run-clock';

const run = (
  contender: string,
  round: number,
  msgsPerSec: number,
  extra: Partial<BenchRun> = {},
): BenchRun => ({
  section: 'kafka',
  round,
  contender,
  handled: 1_000,
  messages: 1_000,
  seconds: 1_000 / msgsPerSec,
  msgsPerSec,
  // Start-up left out, a running consumer drains faster than its total rate says.
  drainMsgsPerSec: msgsPerSec * 2,
  startupMs: 100,
  peakRssMb: 100,
  timedOut: false,
  ...extra,
});

describe('bench report', () => {
  it('takes each ratio within a round, then min / median / max over the rounds', () => {
    const runs = [
      run('k1', 1, 100),
      run('lib', 1, 80),
      run('k1', 2, 200),
      run('lib', 2, 200),
      run('k1', 3, 100),
      run('lib', 3, 50),
    ];
    const report = buildReport(runs, [], { rounds: 3 });
    const ratio = report.ratios.find(
      (r) => r.section === 'kafka' && r.name === 'lib / k1, total (start-up included)',
    );
    expect(ratio?.spread).toEqual({ min: 0.5, median: 0.8, max: 1 });
    expect(ratio?.target).toBe('≥ 0.9');
    expect(ratio?.met).toBe(false);
    const lib = report.contenders.find((c) => c.contender === 'lib');
    expect(lib?.msgsPerSec).toEqual({ min: 50, median: 80, max: 200 });
  });

  it('keeps a timed-out run out of the figures and says how far it got', () => {
    const runs = [
      run('k1', 1, 100),
      run('lib', 1, 7, { timedOut: true, handled: 420, seconds: 60 }),
      run('k1', 2, 100),
      run('lib', 2, 95),
    ];
    const report = buildReport(runs, [], { rounds: 2 });
    const lib = report.contenders.find((c) => c.contender === 'lib');
    expect(lib?.msgsPerSec).toEqual({ min: 95, median: 95, max: 95 });
    expect(lib?.notes).toEqual(['round 1: timed out after 60 s, 420/1000 handled (≈ 7 msg/s)']);
    const ratio = report.ratios.find((r) => r.name === 'lib / k1, total (start-up included)');
    expect(ratio?.spread).toEqual({ min: 0.95, median: 0.95, max: 0.95 });
    expect(ratio?.met).toBe(true);
    expect(formatReport(report)).toContain('timed out after 60 s, 420/1000 handled');
  });

  it("takes the drain-rate ratios from each run's drain rate, against the same target", () => {
    const runs = [
      run('k1', 1, 100, { drainMsgsPerSec: 200 }),
      run('lib', 1, 80, { drainMsgsPerSec: 190 }),
      run('nest', 1, 40, { drainMsgsPerSec: 50 }),
    ];
    const report = buildReport(runs, [], { rounds: 1 });
    const drain = report.ratios.find((r) => r.name === 'lib / k1, drain rate');
    expect(drain?.spread?.median).toBeCloseTo(0.95);
    expect(drain?.met).toBe(true);
    const total = report.ratios.find((r) => r.name === 'lib / k1, total (start-up included)');
    expect(total?.met).toBe(false);
    expect(report.ratios.find((r) => r.name === 'lib / nest, drain rate')?.met).toBe(true);
    expect(report.contenders.find((c) => c.contender === 'lib')?.drainMsgsPerSec?.median).toBe(190);
    expect(formatReport(report)).toContain('| lib / k1, drain rate | 0.95 / **0.95** / 0.95 |');
  });

  it('compares peak RSS against its ceiling', () => {
    const runs = [run('k1', 1, 100, { peakRssMb: 100 }), run('lib', 1, 100, { peakRssMb: 140 })];
    const rss = buildReport(runs, [], { rounds: 1 }).ratios.find(
      (r) => r.name === 'peak RSS lib / k1',
    );
    expect(rss?.spread?.median).toBeCloseTo(1.4);
    expect(rss?.met).toBe(false);
  });
});

describe('bench envelopes', () => {
  it('fails the first attempt of exactly the chosen share, by index', () => {
    const failing = (percent: number) =>
      Array.from({ length: 5_000 }, (_, index) => index).filter((index) =>
        failsFirstAttempt(index, percent),
      ).length;
    expect([failing(0), failing(1), failing(10)]).toEqual([0, 50, 500]);
  });

  it('carries its index and passes the hand check; a blank required field does not', () => {
    const text = paymentEnvelopeText(42);
    const body = JSON.parse(text) as { payload: Record<string, unknown> };
    expect(envelopeIndex(body.payload.external_reference)).toBe(42);
    expect(Buffer.byteLength(text)).toBeGreaterThan(450);
    expect(() => checkPaymentByHand(body)).not.toThrow();
    body.payload.currency = ' ';
    expect(() => checkPaymentByHand(body)).toThrow('currency missing');
  });
});

describe('bench clock', () => {
  it('stops at the last message, or at its cap as timed out', async () => {
    const done = new BenchRunClock(2, 5_000);
    done.start();
    done.count();
    done.count();
    await done.finished;
    expect(done.result('k1')).toMatchObject({ handled: 2, timedOut: false });

    const capped = new BenchRunClock(2, 20);
    capped.start();
    capped.count();
    await capped.finished;
    expect(capped.result('k1')).toMatchObject({ handled: 1, messages: 2, timedOut: true });
  });

  it('gives the drain rate from the first message on, leaving start-up out', async () => {
    const clock = new BenchRunClock(3, 5_000);
    clock.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    clock.count();
    await new Promise((resolve) => setTimeout(resolve, 20));
    clock.count();
    clock.count();
    const result = clock.result('k1');
    // 3 messages over ≥ 220 ms in all; the 2 after the first over about 20 ms.
    expect(result.msgsPerSec).toBeLessThan(15);
    expect(result.drainMsgsPerSec).toBeGreaterThan(result.msgsPerSec * 3);
    expect(result.startupMs).toBeGreaterThanOrEqual(195);
  });
});
