import type { TestingModule } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTopics,
  producePayments,
  sleep,
  startBusApp,
  statusOf,
  uniqueName,
  waitUntil,
  type PaymentBehaviour,
} from './kafka-runtime-kit';

/**
 * Who handles what, across apps: a message that starts in one app while it is still in
 * progress in another counts as a violation.
 */
class Ledger {
  readonly handled = new Map<string, string[]>();
  readonly started = new Map<string, string[]>();
  private readonly inProgress = new Map<string, string>();
  violations = 0;

  behaviour(app: string, work: (reference: string) => Promise<void>): PaymentBehaviour {
    return async (payment) => {
      const reference = payment.reference;
      if (this.inProgress.has(reference)) this.violations += 1;
      this.inProgress.set(reference, app);
      this.started.set(app, [...(this.started.get(app) ?? []), reference]);
      try {
        await work(reference);
        this.handled.set(app, [...(this.handled.get(app) ?? []), reference]);
      } finally {
        this.inProgress.delete(reference);
      }
    };
  }

  of(app: string): string[] {
    return this.handled.get(app) ?? [];
  }

  get running(): number {
    return this.inProgress.size;
  }
}

describe('KafkaConsumer: graceful shutdown', () => {
  const apps: TestingModule[] = [];

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('loses nothing when the app stops with messages in flight: the next member gets exactly what was not committed', async () => {
    const topic = uniqueName('kafka-stop');
    const groupId = uniqueName('kafka-stop-group');
    await createTopics(topic, 5);
    const ledger = new Ledger();
    const consumer = { topic, groupId, partitionsConcurrency: 5 };
    const first = await startBusApp({
      consumer,
      behaviour: ledger.behaviour('first', () => sleep(60)),
    });
    apps.push(first);

    const references = Array.from({ length: 50 }, (_, index) => `m-${index}`);
    await producePayments(
      topic,
      references.map((reference, index) => ({ reference, key: `key-${index % 10}` })),
    );
    await waitUntil(
      () => ledger.of('first').length >= 8 && ledger.running > 0,
      20_000,
      () => `first app handled ${ledger.of('first').length}`,
    );

    const inFlightAtStop = statusOf(first).inFlight;
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    // Everything the first app started, it finished before leaving: nothing was cut off.
    expect(inFlightAtStop).toBeGreaterThan(0);
    expect(ledger.running).toBe(0);
    expect(ledger.of('first')).toEqual(ledger.started.get('first'));
    expect(ledger.of('first').length).toBeLessThan(50);

    const second = await startBusApp({
      consumer,
      behaviour: ledger.behaviour('second', () => sleep(5)),
    });
    apps.push(second);
    const total = (): number => ledger.of('first').length + ledger.of('second').length;
    await waitUntil(
      () => total() >= 50,
      20_000,
      () => `${total()} of 50 handled`,
    );
    await sleep(500);

    const byFirst = new Set(ledger.of('first'));
    const bySecond = new Set(ledger.of('second'));
    expect([...byFirst, ...bySecond].sort()).toEqual([...references].sort());
    // What the first app finished, it committed: the second one never saw it again.
    expect([...bySecond].filter((reference) => byFirst.has(reference))).toEqual([]);
    expect(ledger.of('second').length).toBe(bySecond.size);
    expect(ledger.violations).toBe(0);
  });

  it('leaves a handler that outlasts shutdownTimeoutMs uncommitted, so the next member handles it again', async () => {
    const topic = uniqueName('kafka-stop-slow');
    const groupId = uniqueName('kafka-stop-slow-group');
    await createTopics(topic, 1);
    const ledger = new Ledger();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const consumer = { topic, groupId };
    const first = await startBusApp({
      consumer,
      shutdownTimeoutMs: 300,
      behaviour: ledger.behaviour('first', (reference) =>
        reference === 'slow' ? released : Promise.resolve(),
      ),
    });
    apps.push(first);
    await producePayments(topic, [
      { reference: 'fast', key: 'k' },
      { reference: 'slow', key: 'k' },
      { reference: 'after-slow', key: 'k' },
    ]);
    await waitUntil(
      () => (ledger.started.get('first') ?? []).includes('slow'),
      20_000,
      () => 'the slow message started',
    );

    const stopping = Date.now();
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    expect(Date.now() - stopping).toBeLessThan(5_000);
    release();
    await waitUntil(
      () => ledger.running === 0,
      5_000,
      () => 'the slow handler ended',
    );

    const second = await startBusApp({
      consumer,
      behaviour: ledger.behaviour('second', () => Promise.resolve()),
    });
    apps.push(second);
    await waitUntil(
      () => ledger.of('second').length >= 2,
      20_000,
      () => `second app handled ${ledger.of('second').join(', ')}`,
    );
    await sleep(300);

    expect(ledger.of('first')).toEqual(['fast', 'slow']);
    expect(ledger.of('second')).toEqual(['slow', 'after-slow']);
    expect(ledger.violations).toBe(0);
  });
});
