import { describe, expect, it } from 'vitest';
import {
  createQueue,
  delay,
  queueDepth,
  references,
  sendPayments,
  startConsumerApp,
  waitFor,
  useConsumerSuite,
} from './sqs-consumer-kit';

const SENT = 100;
const IN_FLIGHT = 50;
const SHUTDOWN_TIMEOUT_MS = 1_500;
/** Handlers that finish well inside the shutdown timeout, and handlers that cannot. */
const QUICK_MS = 100;
const SLOW_MS = 4_000;

describe('SqsConsumer: graceful shutdown on ElasticMQ', () => {
  const suite = useConsumerSuite();
  const { apps } = suite;

  it('stops with 50 messages in flight and loses none: finished ones are deleted, the rest go to the next app', async () => {
    // A visibility timeout far beyond the test: a message not deleted nor released would not come back in time.
    const queue = await createQueue(suite.client, 'shutdown', { VisibilityTimeout: '120' });
    const refs = references('S', SENT);
    await sendPayments(suite.client, queue, refs);

    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    const active = new Set<string>();
    const startedInA = new Set<string>();
    const finishedInA: Array<{ reference: string; at: number }> = [];
    const handledInB: string[] = [];
    const concurrentDuplicates: string[] = [];
    const slow = (reference: string): boolean => Number(reference.slice(2)) % 2 === 1;

    const first = await startConsumerApp({
      behaviour: async (payload) => {
        startedInA.add(payload.reference);
        active.add(payload.reference);
        await gate;
        await delay(slow(payload.reference) ? SLOW_MS : QUICK_MS);
        finishedInA.push({ reference: payload.reference, at: Date.now() });
        active.delete(payload.reference);
      },
      consumers: [
        { queue, concurrency: IN_FLIGHT, pollers: 5, waitTimeSeconds: 1, visibilityTimeout: 120 },
      ],
      shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS,
    });
    apps.push(first);

    await waitFor('50 handlers in flight', () => startedInA.size === IN_FLIGHT);
    // Give the pollers a moment to prove they do not take more than the 50 slots.
    await delay(300);
    expect(startedInA.size).toBe(IN_FLIGHT);
    expect(first.status()[0].inFlight).toBe(IN_FLIGHT);

    openGate();
    await first.close();
    const closedAt = Date.now();
    const acknowledgedInA = new Set(
      finishedInA.filter((finish) => finish.at <= closedAt).map((finish) => finish.reference),
    );
    // Every quick handler finished inside the timeout, no slow one did.
    expect([...acknowledgedInA].every((reference) => !slow(reference))).toBe(true);
    expect(acknowledgedInA.size).toBe(
      [...startedInA].filter((reference) => !slow(reference)).length,
    );

    const second = await startConsumerApp({
      behaviour: (payload) => {
        if (active.has(payload.reference) && !slow(payload.reference))
          concurrentDuplicates.push(payload.reference);
        handledInB.push(payload.reference);
      },
      consumers: [{ queue, concurrency: 20, waitTimeSeconds: 1, visibilityTimeout: 120 }],
    });
    apps.push(second);

    const expectedInB = refs.filter((reference) => !acknowledgedInA.has(reference));
    await waitFor(
      `the second app to handle ${expectedInB.length} messages`,
      () => handledInB.length >= expectedInB.length,
      30_000,
    );
    await waitFor('the queue to empty', async () => {
      const depth = await queueDepth(suite.client, queue);
      return depth.visible === 0 && depth.inFlight === 0;
    });
    // Let the first app's abandoned handlers end: their results must not be acknowledged twice or count.
    await delay(SLOW_MS);

    expect([...handledInB].sort()).toEqual(expectedInB.sort());
    expect(new Set(handledInB).size).toBe(handledInB.length);
    expect(concurrentDuplicates).toEqual([]);
    expect(acknowledgedInA.size + handledInB.length).toBe(SENT);
    expect(second.status()[0]).toMatchObject({ handled: expectedInB.length, inFlight: 0 });
  });
});
