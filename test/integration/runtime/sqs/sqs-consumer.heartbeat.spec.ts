import { describe, expect, it } from 'vitest';
import {
  createQueue,
  delay,
  queueDepth,
  sendPayments,
  startConsumerApp,
  waitFor,
  useConsumerSuite,
} from './sqs-consumer-kit';

describe('SqsConsumer: visibility heartbeat on ElasticMQ', () => {
  const suite = useConsumerSuite();
  const { apps } = suite;

  it("keeps a slow handler's message hidden well past its visibility timeout, from this app and another one", async () => {
    const queue = await createQueue(suite.client, 'heartbeat', { VisibilityTimeout: '2' });
    await sendPayments(suite.client, queue, ['SLOW-1']);
    const deliveries: Array<{ app: string; attempt: number }> = [];
    let finished = false;
    const consumer = { queue, concurrency: 2, waitTimeSeconds: 1, visibilityTimeout: 2 };
    apps.push(
      await startConsumerApp({
        behaviour: async (_payload, context) => {
          deliveries.push({ app: 'slow', attempt: context.getAttempt() });
          // Three visibility timeouts: without extensions SQS hands it out again twice.
          await delay(6_000);
          finished = true;
        },
        consumers: [consumer],
      }),
    );
    await waitFor('the slow handler to start', () => deliveries.length === 1);
    // A second app polling the same queue would get the message the moment it became visible.
    apps.push(
      await startConsumerApp({
        behaviour: (_payload, context) =>
          void deliveries.push({ app: 'watcher', attempt: context.getAttempt() }),
        consumers: [consumer],
      }),
    );

    await waitFor('the slow handler to finish', () => finished, 15_000);
    await waitFor('the message to be deleted', async () => {
      const depth = await queueDepth(suite.client, queue);
      return depth.visible === 0 && depth.inFlight === 0;
    });
    await delay(2_500);

    expect(deliveries).toEqual([{ app: 'slow', attempt: 1 }]);
    expect(apps[0].status()[0]).toMatchObject({ handled: 1, retried: 0 });
  });
});
