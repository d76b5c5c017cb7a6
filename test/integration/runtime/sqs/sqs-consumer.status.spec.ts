import { afterEach, describe, expect, it } from 'vitest';
import { uniqueName } from '../../../support/broker-environment';
import {
  CapturingLogger,
  createQueue,
  delay,
  sendPayments,
  startConsumerApp,
  waitFor,
  useConsumerSuite,
} from './sqs-consumer-kit';

describe('SqsConsumer: status through ConsumerOrchestrator', () => {
  const suite = useConsumerSuite();
  const { apps } = suite;
  afterEach(() => CapturingLogger.restore());

  it('reports each queue: running with its counts, and failed, with the queue named, when the queue does not exist', async () => {
    const queue = await createQueue(suite.client, 'status');
    const missing = uniqueName('status-missing');
    const logger = new CapturingLogger();
    const app = await startConsumerApp({
      behaviour: () => undefined,
      consumers: [
        { queue, waitTimeSeconds: 1 },
        { queue: missing, waitTimeSeconds: 1 },
      ],
      logger,
    });
    apps.push(app);
    await sendPayments(suite.client, queue, ['A', 'B', 'C']);

    await waitFor('3 handled', () => app.status()[0].handled === 3);
    await waitFor('the missing queue to fail', () => app.status()[1].state === 'failed');

    const [running, failed] = app.status();
    expect(running).toEqual({
      name: `sqs:${queue}`,
      state: 'running',
      inFlight: 0,
      handled: 3,
      retried: 0,
      deadLettered: 0,
    });
    expect(failed).toMatchObject({ name: `sqs:${missing}`, state: 'failed', handled: 0 });
    expect(failed.lastError).toContain(missing);
    expect(failed.lastError).toMatch(/does not exist/);
    expect(logger.lines.some((line) => line.includes(missing) && line.includes('stopped'))).toBe(
      true,
    );
  });

  it('fails at once, naming it, when the dead-letter queue does not exist', async () => {
    const queue = await createQueue(suite.client, 'status-dlq');
    const missingDlq = uniqueName('status-missing-dlq');
    const app = await startConsumerApp({
      behaviour: () => undefined,
      consumers: [{ queue, deadLetterQueue: missingDlq, waitTimeSeconds: 1 }],
    });
    apps.push(app);

    await waitFor('the consumer to fail', () => app.status()[0].state === 'failed');
    expect(app.status()[0].lastError).toContain(`dead-letter queue ${missingDlq} does not exist`);
  });

  it('lets a 20 s long poll end when the app closes, and gives what it returns back at once, not hidden for the visibility timeout', async () => {
    // SQS keeps a long poll the client aborted open on its side, and what it takes then is
    // handed to nobody: so the consumer lets it end rather than abort it.
    const queue = await createQueue(suite.client, 'status-long-poll');
    const handled: string[] = [];
    const app = await startConsumerApp({
      behaviour: (payment) => {
        handled.push(payment.reference);
      },
      // One poller (one per 10 slots), so the one message sent ends the only long poll.
      consumers: [{ queue, concurrency: 10, waitTimeSeconds: 20, visibilityTimeout: 30 }],
    });
    apps.push(app);
    await waitFor('running', () => app.status()[0].state === 'running');
    // The long poll is on the wire by now.
    await delay(500);

    const closing = Date.now();
    const closed = app.close();
    await delay(300);
    await sendPayments(suite.client, queue, ['LATE-1']);
    await closed;

    // The message ended the poll, so close() did not wait out its 20 s; it was not handled...
    expect(Date.now() - closing).toBeLessThan(5_000);
    expect(handled).toEqual([]);
    // ...but given back: visible to the next consumer at once, received once before.
    const [again] = await suite.client.receiveMessages(queue, { waitTimeSeconds: 2 });
    expect(again?.receiveCount).toBe(2);
  });

  it('keeps trying while SQS is unreachable, as reconnecting with the last error, and stops promptly', async () => {
    const logger = new CapturingLogger();
    const app = await startConsumerApp({
      behaviour: () => undefined,
      // Nothing listens on port 9: every call is refused.
      queueUrl: 'http://127.0.0.1:9/000000000000',
      maxAttempts: 1,
      consumers: [{ queue: 'unreachable', waitTimeSeconds: 1 }],
      logger,
    });
    apps.push(app);

    await waitFor('reconnecting', () => app.status()[0].state === 'reconnecting');
    expect(app.status()[0].lastError).toMatch(/ECONNREFUSED/);
    expect(
      logger.lines.some((line) => line.includes('SQS unreachable') && line.includes('unreachable')),
    ).toBe(true);

    const closing = Date.now();
    await app.close();
    expect(Date.now() - closing).toBeLessThan(2_000);
  });
});
