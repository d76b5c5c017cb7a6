import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { sqsEndpoint } from '../../../support/broker-environment';
import { DUMMY_CREDENTIALS } from '../../sqs/sqs-test-kit';
import {
  createQueue,
  delay,
  queueDepth,
  references,
  sendPayments,
  startConsumerApp,
  useConsumerSuite,
  waitFor,
} from './sqs-consumer-kit';

const SENT = 300;

/** One SDK call the consumer made, as the client's call log records it. */
interface LoggedCall {
  readonly command: string;
  /** ReceiveMessage: messages asked for. DeleteMessageBatch: entries. */
  readonly size: number;
  /** Handlers running when the call was sent. */
  readonly running: number;
  /** ReceiveMessage: other receives open when it was sent, and what they asked for. */
  readonly openReceives: number;
  readonly askedByOpenReceives: number;
}

/** A real SDK client on ElasticMQ whose `send` logs every call before it goes out. */
function loggingSdkClient(running: () => number): { sdk: SQSClient; calls: LoggedCall[] } {
  const sdk = new SQSClient({
    region: 'eu-west-1',
    endpoint: sqsEndpoint(),
    credentials: DUMMY_CREDENTIALS,
    cacheMiddleware: true,
  });
  const calls: LoggedCall[] = [];
  const open = new Map<number, number>();
  const send = sdk.send.bind(sdk) as (command: unknown) => Promise<unknown>;
  (sdk as { send: unknown }).send = async (command: {
    constructor: { name: string };
    input: { MaxNumberOfMessages?: number; Entries?: unknown[] };
  }) => {
    const name = command.constructor.name.replace(/Command$/, '');
    const size =
      name === 'ReceiveMessage'
        ? (command.input.MaxNumberOfMessages ?? 1)
        : (command.input.Entries?.length ?? 1);
    calls.push({
      command: name,
      size,
      running: running(),
      openReceives: open.size,
      askedByOpenReceives: [...open.values()].reduce((sum, asked) => sum + asked, 0),
    });
    if (name !== 'ReceiveMessage') return send(command);
    const token = calls.length;
    open.set(token, size);
    try {
      return await send(command);
    } finally {
      open.delete(token);
    }
  };
  return { sdk, calls };
}

describe('SqsConsumer: default settings draining a backlog on ElasticMQ', () => {
  const suite = useConsumerSuite();
  const { apps } = suite;

  it('keeps several receives open at once within concurrency, and deletes in batches of 10', async () => {
    const queue = await createQueue(suite.client, 'throughput', { VisibilityTimeout: '30' });
    await sendPayments(suite.client, queue, references('T', SENT));
    let running = 0;
    let mostRunning = 0;
    let handled = 0;
    const { sdk, calls } = loggingSdkClient(() => running);
    try {
      apps.push(
        await startConsumerApp({
          sdkClient: sdk,
          // Defaults only: concurrency 50, pollers 5, waitTimeSeconds 20.
          consumers: [{ queue }],
          behaviour: async () => {
            running += 1;
            mostRunning = Math.max(mostRunning, running);
            await delay(30);
            running -= 1;
            handled += 1;
          },
        }),
      );
      await waitFor(`${SENT} messages handled`, () => handled >= SENT, 60_000);
      await waitFor('the queue to empty', async () => {
        const depth = await queueDepth(suite.client, queue);
        return depth.visible === 0 && depth.inFlight === 0;
      });

      const receives = calls.filter((call) => call.command === 'ReceiveMessage');
      const deletes = calls.filter((call) => call.command === 'DeleteMessageBatch');
      // Pipelined: receives overlap each other...
      expect(Math.max(...receives.map((call) => call.openReceives + 1))).toBeGreaterThanOrEqual(3);
      // ...but never more than the default 5 at once, nor for more than the 50 free slots.
      expect(Math.max(...receives.map((call) => call.openReceives + 1))).toBeLessThanOrEqual(5);
      for (const call of receives) {
        expect(call.size).toBeLessThanOrEqual(10);
        expect(call.running + call.askedByOpenReceives + call.size).toBeLessThanOrEqual(50);
      }
      expect(mostRunning).toBeGreaterThan(10);
      expect(mostRunning).toBeLessThanOrEqual(50);
      // Every delete in a batch request; most of them full (under CI load 23 of 30 were seen:
      // a batch also goes out when its flush window ends; one per message would give none).
      expect(calls.some((call) => call.command === 'DeleteMessage')).toBe(false);
      expect(deletes.reduce((sum, call) => sum + call.size, 0)).toBe(SENT);
      expect(deletes.filter((call) => call.size === 10).length).toBeGreaterThanOrEqual(
        (SENT / 10) * 0.5,
      );
    } finally {
      await Promise.all(apps.splice(0).map((app) => app.close()));
      sdk.destroy();
    }
  });
});
