import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SqsClient } from '../../../../lib/transports/sqs/sqs.client';
import {
  createQueue,
  delay,
  integrationClient,
  payment,
  queueDepth,
  startConsumerApp,
  waitFor,
  type ConsumerApp,
} from './sqs-consumer-kit';

const GROUPS = ['g1', 'g2', 'g3', 'g4'];
const PER_GROUP = 8;

describe('SqsConsumer: FIFO queues on ElasticMQ', () => {
  let client: SqsClient;
  let app: ConsumerApp | undefined;

  beforeAll(() => {
    client = integrationClient();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });
  afterAll(async () => {
    await client.close();
  });

  it('keeps each group in order under concurrency, also when a message of a group fails and is retried', async () => {
    const queue = await createQueue(client, 'fifo-order.fifo');
    const deadLetterQueue = await createQueue(client, 'fifo-order-dlq.fifo');
    // Interleaved: g1-0, g2-0, g3-0, g4-0, g1-1, ...
    for (let index = 0; index < PER_GROUP; index += 1) {
      for (const group of GROUPS) {
        await client.sendMessage(payment(`${group}-${index}`), queue, { messageGroupId: group });
      }
    }

    const active = new Set<string>();
    const overlaps: string[] = [];
    const started: Record<string, string[]> = Object.fromEntries(
      GROUPS.map((group) => [group, []]),
    );
    const completed: Record<string, string[]> = Object.fromEntries(
      GROUPS.map((group) => [group, []]),
    );
    let peakConcurrency = 0;
    let running = 0;
    app = await startConsumerApp({
      behaviour: async (payload, context) => {
        const [group, index] = payload.reference.split('-');
        if (active.has(group))
          overlaps.push(`${payload.reference} started while ${group} had a message running`);
        active.add(group);
        running += 1;
        peakConcurrency = Math.max(peakConcurrency, running);
        started[group].push(`${index}@${context.getAttempt()}`);
        try {
          await delay(20 + Math.floor(Math.random() * 30));
          // g2's third message fails on its first delivery.
          if (payload.reference === 'g2-2' && context.getAttempt() === 1)
            throw new Error('g2-2 fails once');
          completed[group].push(index);
        } finally {
          running -= 1;
          active.delete(group);
        }
      },
      consumers: [
        {
          queue,
          deadLetterQueue,
          concurrency: 10,
          pollers: 2,
          retry: { maxAttempts: 5, initialDelayMs: 200 },
          waitTimeSeconds: 1,
          visibilityTimeout: 10,
        },
      ],
    });

    await waitFor(
      'every message of every group',
      () => GROUPS.every((group) => completed[group].length === PER_GROUP),
      30_000,
    );
    await waitFor('the queue to empty', async () => {
      const depth = await queueDepth(client, queue);
      return depth.visible === 0 && depth.inFlight === 0;
    });

    const inOrder = Array.from({ length: PER_GROUP }, (_, index) => String(index));
    for (const group of GROUPS) expect(completed[group], group).toEqual(inOrder);
    expect(overlaps).toEqual([]);
    // Groups did run side by side.
    expect(peakConcurrency).toBeGreaterThan(1);
    // g2: nothing after its failed message ran before that message succeeded on its retry.
    const g2 = started.g2;
    const failedAt = g2.indexOf('2@1');
    const retriedAt = g2.findIndex((entry) => entry.startsWith('2@') && entry !== '2@1');
    expect(failedAt).toBeGreaterThanOrEqual(0);
    expect(retriedAt).toBe(failedAt + 1);
    expect(g2.slice(0, failedAt).map((entry) => entry.split('@')[0])).toEqual(['0', '1']);
    expect(app.status()[0]).toMatchObject({
      handled: GROUPS.length * PER_GROUP,
      retried: 1,
      deadLettered: 0,
    });
  });

  it('dead-letters to a FIFO dead-letter queue with the original group and moves the group on', async () => {
    const queue = await createQueue(client, 'fifo-dlq.fifo');
    const deadLetterQueue = await createQueue(client, 'fifo-dlq-dlq.fifo');
    for (const reference of ['a-0', 'a-1', 'a-2'])
      await client.sendMessage(payment(reference), queue, { messageGroupId: 'group-a' });
    const order: string[] = [];
    app = await startConsumerApp({
      behaviour: (payload) => {
        order.push(payload.reference);
        if (payload.reference === 'a-1') throw new Error('a-1 never works');
      },
      consumers: [
        {
          queue,
          deadLetterQueue,
          retry: { maxAttempts: 2, initialDelayMs: 200 },
          waitTimeSeconds: 1,
          visibilityTimeout: 10,
        },
      ],
    });

    await waitFor('a-2 to be handled', () => order.includes('a-2'), 30_000);
    const [letter] = await client.receiveMessages(deadLetterQueue, { waitTimeSeconds: 2 });

    expect(order).toEqual(['a-0', 'a-1', 'a-1', 'a-2']);
    expect(letter.attributes.MessageGroupId).toBe('group-a');
    expect(letter.messageAttributes['bus-reason']?.stringValue).toBe(
      'handler-error: Error: a-1 never works',
    );
  });
});
