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

const SENT = 200;

describe('SqsConsumer: scale-out on ElasticMQ', () => {
  const suite = useConsumerSuite();
  const { apps } = suite;

  it('lets two app instances on one queue share the work, each message handled by one of them once', async () => {
    const queue = await createQueue(suite.client, 'scale-out', { VisibilityTimeout: '30' });
    const handledBy: Record<string, string[]> = { a: [], b: [] };
    const everyHandled: string[] = [];
    const start = (name: 'a' | 'b') =>
      startConsumerApp({
        behaviour: async (payload) => {
          await delay(10 + Math.floor(Math.random() * 20));
          handledBy[name].push(payload.reference);
          everyHandled.push(payload.reference);
        },
        consumers: [{ queue, concurrency: 10, waitTimeSeconds: 1, visibilityTimeout: 30 }],
      });
    apps.push(await start('a'), await start('b'));

    const refs = references('X', SENT);
    await sendPayments(suite.client, queue, refs);
    await waitFor(`${SENT} messages handled`, () => everyHandled.length >= SENT, 60_000);
    await waitFor('the queue to empty', async () => {
      const depth = await queueDepth(suite.client, queue);
      return depth.visible === 0 && depth.inFlight === 0;
    });
    await delay(500);

    expect(handledBy.a.length).toBeGreaterThan(0);
    expect(handledBy.b.length).toBeGreaterThan(0);
    expect(everyHandled).toHaveLength(SENT);
    expect(new Set(everyHandled).size).toBe(SENT);
    expect([...everyHandled].sort()).toEqual(refs);
    const [a, b] = apps.map((app) => app.status()[0]);
    expect(a.handled + b.handled).toBe(SENT);
  });
});
