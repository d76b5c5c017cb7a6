import { DEFAULT_UNHANDLED_POLICY } from '../../../../lib/dispatch/unhandled-policy';
import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DispatchOutcome } from '../../../../lib/dispatch/delivery-outcome';
import { RetryPolicy } from '../../../../lib/dispatch/retry-policy';
import { MessageBusError } from '../../../../lib/errors/message-bus.error';
import { SqsOperationError } from '../../../../lib/transports/sqs/errors/sqs-operation.error';
import type { MessageBusMessage } from '../../../../lib/message/message-bus-message';
import type { ResolvedSqsConsumer } from '../../../../lib/options/resolved-options';
import {
  SQS_BATCH_FLUSH_DELAY_MS,
  SQS_EMPTY_SHORT_POLL_PAUSE_MS,
  SQS_RECEIVE_ANSWER_GRACE_MS,
} from '../../../../lib/transports/sqs/consumer/sqs-consumer.constants';
import { SqsConsumer } from '../../../../lib/transports/sqs/sqs.consumer';
import type { InboundDelivery } from '../../../../lib/dispatch/inbound-delivery.interface';
import type { DeliveryHandler } from '../../../../lib/transports/transport.interface';
import { advanceUntil, advanceUntilSettled, useFakeClock } from '../../../support/fake-clock';
import { BASE, FakeSqsClient } from './fake-sqs-client';

const message = {
  type: 'PAYMENT',
  meta_data: { idempotency_key: 'key-1' },
} as unknown as MessageBusMessage;
const HANDLED: DispatchOutcome = { status: 'handled', message, handlers: 1 };
const FAILED: DispatchOutcome = { status: 'failed', message, error: new Error('downstream down') };
const REJECTED: DispatchOutcome = {
  status: 'rejected',
  reason: 'invalid-message',
  error: new MessageBusError('not JSON'),
};

function subscription(overrides: Partial<ResolvedSqsConsumer> = {}): ResolvedSqsConsumer {
  return {
    queue: 'orders',
    deadLetterQueue: 'orders-dlq',
    retry: new RetryPolicy({ maxAttempts: 3, initialDelayMs: 1_000, multiplier: 1 }),
    concurrency: 10,
    waitTimeSeconds: 1,
    visibilityTimeout: 30,
    unhandled: DEFAULT_UNHANDLED_POLICY,
    pollers: 1,
    ...overrides,
  };
}

const consumers: SqsConsumer[] = [];

async function start(
  fake: FakeSqsClient,
  handler: DeliveryHandler,
  overrides: Partial<ResolvedSqsConsumer> = {},
) {
  const consumer = new SqsConsumer(fake.asClient(), subscription(overrides), handler);
  consumers.push(consumer);
  await consumer.start();
  return consumer;
}

/** A handler's own work: fake time, like everything else here. */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Every wait below is on the fake clock: the budgets are fake milliseconds, which the loop's
// own delays (receive backoff, retry visibility, batch flush, stop timeout) must fit in.
describe('SqsConsumer (against an in-memory SQS)', () => {
  beforeEach(() => useFakeClock({ immediates: true }));

  afterEach(async () => {
    try {
      await advanceUntilSettled(
        'every consumer to stop',
        Promise.all(consumers.splice(0).map((consumer) => consumer.stop(0))),
      );
    } finally {
      vi.useRealTimers();
      vi.restoreAllMocks();
    }
  });

  it('hands the handler the SQS delivery: queue, raw body, receive count as attempt, ids', async () => {
    const fake = new FakeSqsClient();
    const id = fake.send('{"raw": true}');
    const deliveries: InboundDelivery[] = [];
    await start(fake, async (delivery) => {
      deliveries.push(delivery);
      return HANDLED;
    });

    await advanceUntil('the delete', () => fake.deletes.length === 1);

    expect(deliveries).toEqual([
      {
        transport: 'sqs',
        source: 'orders',
        body: '{"raw": true}',
        attempt: 1,
        messageId: id,
        receiptHandle: expect.any(String),
      },
    ]);
    expect(fake.receives[0]).toMatchObject({ waitTimeSeconds: 1, visibilityTimeout: 30 });
  });

  it('holds no more than `concurrency` messages on a big backlog, asking SQS only for free slots', async () => {
    const fake = new FakeSqsClient();
    for (let index = 0; index < 120; index += 1) fake.send(`body-${index}`);
    let running = 0;
    let peak = 0;
    const started: { consumer?: SqsConsumer } = {};
    let peakHeld = 0;
    const consumer = await start(
      fake,
      async (delivery) => {
        running += 1;
        peak = Math.max(peak, running);
        peakHeld = Math.max(peakHeld, started.consumer?.status().inFlight ?? 0);
        // 5 to 14 ms, spread over the backlog, so handlers finish out of receive order.
        await sleep(5 + ((Number(String(delivery.body).slice('body-'.length)) * 7) % 10));
        running -= 1;
        return HANDLED;
      },
      { concurrency: 15, pollers: 3 },
    );
    started.consumer = consumer;

    await advanceUntil('every delete', () => fake.deletes.length === 120);

    expect(peak).toBeLessThanOrEqual(15);
    expect(peakHeld).toBeLessThanOrEqual(15);
    expect(peak).toBeGreaterThan(10);
    expect(new Set(fake.deletes).size).toBe(120);
    expect(Math.max(...fake.receives.map((receive) => receive.maxMessages))).toBeLessThanOrEqual(
      10,
    );
    // 15 slots over batches of 10: some receives must have asked for fewer.
    expect(fake.receives.some((receive) => receive.maxMessages < 10)).toBe(true);
    expect(consumer.status()).toMatchObject({ state: 'running', handled: 120, inFlight: 0 });
  });

  it('delays a failed message by the retry delay, in seconds, then deletes it once it succeeds', async () => {
    const fake = new FakeSqsClient();
    const id = fake.send('x');
    const attempts: number[] = [];
    const startedAt: number[] = [];
    const consumer = await start(
      fake,
      async (delivery) => {
        attempts.push(delivery.attempt);
        startedAt.push(Date.now());
        return delivery.attempt === 1 ? FAILED : HANDLED;
      },
      { retry: new RetryPolicy({ maxAttempts: 3, initialDelayMs: 100 }) },
    );

    await advanceUntil('the retry delay', () => fake.visibilityChanges.length === 1);
    const delayedAt = Date.now();
    // 100 ms is rounded up to the one second SQS can express.
    expect(fake.visibilityChanges).toEqual([{ id, visibilityTimeout: 1 }]);
    await advanceUntil('the delete', () => fake.deletes.length === 1, 3_000);

    expect(attempts).toEqual([1, 2]);
    // The second attempt is SQS's redelivery after that second, not one of the consumer's own.
    expect(startedAt[1] - delayedAt).toBeGreaterThanOrEqual(1_000);
    expect(consumer.status()).toMatchObject({ handled: 1, retried: 1, deadLettered: 0 });
  });

  it('dead-letters a rejected message with its reason, then deletes it', async () => {
    const fake = new FakeSqsClient();
    fake.send('not json');
    const consumer = await start(fake, async () => REJECTED);

    await advanceUntil('the delete', () => fake.deletes.length === 1);

    expect(fake.deadLetters).toEqual([
      expect.objectContaining({
        queueUrl: `${BASE}/orders-dlq`,
        body: 'not json',
        attributes: expect.objectContaining({
          'bus-reason': expect.objectContaining({
            StringValue: 'invalid-message: MessageBusError: not JSON',
          }),
          'bus-source-queue': expect.objectContaining({ StringValue: 'orders' }),
          'bus-attempts': expect.objectContaining({ StringValue: '1' }),
        }),
      }),
    ]);
    expect(consumer.status()).toMatchObject({ deadLettered: 1, handled: 0 });
  });

  it('keeps a message whose dead letter could not be sent, visible again after the backoff', async () => {
    const fake = new FakeSqsClient();
    const id = fake.send('not json');
    fake.deadLetterError = new SqsOperationError({
      operation: 'SendMessage',
      queue: 'dlq',
      code: 'ServiceUnavailable',
    });
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const consumer = await start(fake, async () => REJECTED);

    await advanceUntil('the visibility change', () => fake.visibilityChanges.length === 1);

    expect(fake.deletes).toEqual([]);
    expect(fake.visibilityChanges[0]).toMatchObject({ id });
    expect(fake.visibilityChanges[0].visibilityTimeout).toBeGreaterThanOrEqual(1);
    expect(consumer.status().deadLettered).toBe(0);
    expect(errors.mock.calls.map((call) => String(call[0]))).toContainEqual(
      expect.stringContaining('Could not dead-letter'),
    );
  });

  it('leaves an exhausted message to the redrive policy when no dead-letter queue is configured', async () => {
    const fake = new FakeSqsClient();
    fake.redrivePolicy = '{"maxReceiveCount":"3"}';
    const id = fake.send('x');
    const warnings = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await start(fake, async () => FAILED, {
      deadLetterQueue: undefined,
      retry: new RetryPolicy({ maxAttempts: 1, initialDelayMs: 2_000, multiplier: 1 }),
    });

    await advanceUntil('the visibility change', () => fake.visibilityChanges.length === 1);

    expect(fake.deletes).toEqual([]);
    expect(fake.deadLetters).toEqual([]);
    expect(fake.visibilityChanges[0]).toMatchObject({ id });
    expect(fake.visibilityChanges[0].visibilityTimeout).toBeGreaterThanOrEqual(1);
    expect(warnings.mock.calls.map((call) => String(call[0]))).toContainEqual(
      expect.stringContaining('redrive policy of orders'),
    );
  });

  it('treats a handler that throws as a failure to retry', async () => {
    const fake = new FakeSqsClient();
    fake.send('x');
    const consumer = await start(fake, async () => {
      throw new Error('bug');
    });

    await advanceUntil('the retry', () => fake.visibilityChanges.length === 1);
    expect(consumer.status().retried).toBe(1);
  });

  it('logs a failed delete as a coming redelivery', async () => {
    const fake = new FakeSqsClient();
    fake.failDeletes = true;
    fake.send('x');
    const warnings = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await start(fake, async () => HANDLED);

    await advanceUntil('the warning', () => warnings.mock.calls.length > 0);
    expect(String(warnings.mock.calls[0][0])).toMatch(
      /Could not delete PAYMENT \(idempotency_key key-1\) from sqs:orders .*ReceiptHandleIsInvalid.*delivered again/,
    );
  });

  it('stop(): stops receiving at once, deletes what finished, gives back what did not, and ignores late results', async () => {
    const fake = new FakeSqsClient();
    const ids = ['quick-1', 'quick-2', 'slow-1', 'slow-2'].map((body) => ({
      body,
      id: fake.send(body),
    }));
    const slowRelease: Array<() => void> = [];
    let started = 0;
    const consumer = await start(
      fake,
      async (delivery) => {
        started += 1;
        if (String(delivery.body).startsWith('slow'))
          await new Promise<void>((resolve) => slowRelease.push(resolve));
        else await sleep(30);
        return HANDLED;
      },
      { concurrency: 4, visibilityTimeout: 60 },
    );
    await advanceUntil('4 handlers running', () => started === 4);
    const receivesBeforeStop = fake.receives.length;
    const idOf = (body: string) => ids.find((entry) => entry.body === body)!.id;

    const stopping = Date.now();
    let stoppedAt: number | undefined;
    const stopped = consumer.stop(300).then(() => {
      stoppedAt = Date.now();
    });
    // Until its timeout, stop() waits for the slow handlers and gives nothing back.
    await vi.advanceTimersByTimeAsync(299);
    expect(stoppedAt).toBeUndefined();
    expect(fake.visibilityChanges).toEqual([]);
    expect(fake.deletes.sort()).toEqual([idOf('quick-1'), idOf('quick-2')].sort());
    await advanceUntilSettled('stop', stopped, 1_000);

    const took = stoppedAt! - stopping;
    expect(took).toBeGreaterThanOrEqual(300);
    // The timeout, then one release batch: its flush delay, and a few fake I/O turns.
    expect(took).toBeLessThanOrEqual(300 + SQS_BATCH_FLUSH_DELAY_MS + 5);
    expect(fake.deletes.sort()).toEqual([idOf('quick-1'), idOf('quick-2')].sort());
    expect(fake.visibilityChanges.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: idOf('slow-1'), visibilityTimeout: 0 },
        { id: idOf('slow-2'), visibilityTimeout: 0 },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(consumer.status()).toMatchObject({ state: 'stopped', handled: 2, inFlight: 0 });

    // The slow handlers finish after their messages went back: no delete, no count.
    slowRelease.forEach((release) => release());
    await vi.advanceTimersByTimeAsync(50);
    expect(fake.deletes).toHaveLength(2);
    expect(consumer.status().handled).toBe(2);
    expect(fake.receives.length).toBeLessThanOrEqual(receivesBeforeStop + 1);
  });

  it('does not spin on an empty queue with short polling', async () => {
    const fake = new FakeSqsClient();
    await start(fake, async () => HANDLED, { waitTimeSeconds: 0, pollers: 2 });

    await vi.advanceTimersByTimeAsync(300);

    // Two pollers, one empty receive each, then a pause.
    expect(fake.receives).toHaveLength(2);
    // The pause is SQS_EMPTY_SHORT_POLL_PAUSE_MS: then one more receive each.
    await vi.advanceTimersByTimeAsync(SQS_EMPTY_SHORT_POLL_PAUSE_MS - 300 - 5);
    expect(fake.receives).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10);
    expect(fake.receives).toHaveLength(4);
  });

  // SQS keeps a long poll open on its side when the client aborts it, and what that poll
  // takes is hidden for its visibility timeout and handed to nobody (the fake does the same).
  it('stop(): gives back a message whose handler outlasts the timeout only once no receive of its own is open, so the next consumer gets it at once', async () => {
    const fake = new FakeSqsClient();
    const id = fake.send('slow');
    let started = 0;
    const consumer = await start(
      fake,
      async () => {
        started += 1;
        await new Promise<void>(() => undefined);
        return HANDLED;
      },
      { concurrency: 2, waitTimeSeconds: 20, visibilityTimeout: 30 },
    );
    // The handler runs, and the poller waits in a long poll for the one free slot.
    await advanceUntil(
      'the handler and a second long poll',
      () => started === 1 && fake.receives.length === 2,
    );
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    const stopping = Date.now();
    await advanceUntilSettled('stop', consumer.stop(100), 25_000);
    const stoppedAfter = Date.now() - stopping;
    // The next consumer comes a moment later: nothing of this one may take the message meanwhile.
    await vi.advanceTimersByTimeAsync(100);

    const message = fake.messages.find((candidate) => candidate.id === id)!;
    // Visible now, and received once: the next consumer gets it at once, as attempt 2.
    expect({ receiveCount: message.receiveCount, inFlight: fake.inFlight }).toEqual({
      receiveCount: 1,
      inFlight: 0,
    });
    expect(fake.lostToAbortedReceives).toEqual([]);
    expect(fake.openReceives).toBe(0);
    // Kept hidden by the heartbeat while the long poll was open, then released.
    expect(fake.visibilityChanges.at(-1)).toEqual({ id, visibilityTimeout: 0 });
    // It waited for the long poll sent before stop(), no longer.
    expect(stoppedAfter).toBeLessThanOrEqual(20_000 + SQS_BATCH_FLUSH_DELAY_MS + 10);
    expect(consumer.status()).toMatchObject({ state: 'stopped', inFlight: 0, handled: 0 });
  });

  it('stop(): sends no new receive, lets the long poll already sent end, and gives back what it returns unhandled', async () => {
    const fake = new FakeSqsClient();
    const handled: string[] = [];
    const consumer = await start(
      fake,
      async (delivery) => {
        handled.push(String(delivery.body));
        return HANDLED;
      },
      { waitTimeSeconds: 20 },
    );
    await advanceUntil('the long poll', () => fake.receives.length === 1);

    const stopping = Date.now();
    let stoppedAt: number | undefined;
    const stopped = consumer.stop(5_000).then(() => {
      stoppedAt = Date.now();
    });
    await vi.advanceTimersByTimeAsync(1_000);
    const id = fake.send('late');
    await advanceUntilSettled('stop', stopped, 2_000);

    expect(handled).toEqual([]);
    expect(fake.receives).toHaveLength(1);
    expect(fake.lostToAbortedReceives).toEqual([]);
    expect(fake.visibilityChanges).toEqual([{ id, visibilityTimeout: 0 }]);
    expect(fake.inFlight).toBe(0);
    // Over once the poll returned the message: neither its 20 s nor the 5 s timeout.
    expect(stoppedAt! - stopping).toBeLessThan(1_000 + 50);
  });

  it('stop(): an idle consumer stops when its long poll ends, within waitTimeSeconds', async () => {
    const fake = new FakeSqsClient();
    const consumer = await start(fake, async () => HANDLED, { waitTimeSeconds: 20 });
    await advanceUntil('the long poll', () => fake.receives.length === 1);
    const sentAt = Date.now();

    await advanceUntilSettled('stop', consumer.stop(0), 25_000);

    expect(fake.receives).toHaveLength(1);
    expect(fake.openReceives).toBe(0);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(20_000 - 10);
    expect(Date.now() - sentAt).toBeLessThanOrEqual(20_000 + 10);
    expect(consumer.status().state).toBe('stopped');
  });

  it('stop(): aborts, with a warning, a receive that SQS has not answered well after its waitTimeSeconds', async () => {
    const fake = new FakeSqsClient();
    fake.hangReceives = true;
    const warnings = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const consumer = await start(fake, async () => HANDLED, { waitTimeSeconds: 2 });
    await advanceUntil('the receive', () => fake.receives.length === 1);

    const stopping = Date.now();
    await advanceUntilSettled('stop', consumer.stop(0), 10_000);

    const took = Date.now() - stopping;
    expect(took).toBeGreaterThanOrEqual(2_000 + SQS_RECEIVE_ANSWER_GRACE_MS);
    expect(took).toBeLessThanOrEqual(2_000 + SQS_RECEIVE_ANSWER_GRACE_MS + 10);
    expect(consumer.status().state).toBe('stopped');
    expect(String(warnings.mock.calls.at(-1)?.[0])).toMatch(
      /A receive from orders was not answered .*; aborted it/,
    );
  });

  it('FIFO: runs one message per group at a time, and gives back the rest of a group whose message is retried', async () => {
    const fake = new FakeSqsClient();
    const a1 = fake.send('a1', 'a');
    const a2 = fake.send('a2', 'a');
    const a3 = fake.send('a3', 'a');
    fake.send('b1', 'b');
    const calls: string[] = [];
    const active = new Set<string>();
    const overlaps: string[] = [];
    const consumer = await start(
      fake,
      async (delivery) => {
        const body = String(delivery.body);
        const group = body[0];
        if (active.has(group)) overlaps.push(body);
        active.add(group);
        calls.push(`${body}@${delivery.attempt}`);
        await sleep(10);
        active.delete(group);
        return body === 'a2' && delivery.attempt === 1 ? FAILED : HANDLED;
      },
      { queue: 'orders.fifo', deadLetterQueue: 'orders-dlq.fifo', concurrency: 10 },
    );

    await advanceUntil('a3 to be given back', () =>
      fake.visibilityChanges.some((change) => change.id === a3),
    );
    await advanceUntilSettled('stop', consumer.stop(1_000), 2_000);

    expect(overlaps).toEqual([]);
    const groupA = calls.filter((call) => call.startsWith('a'));
    expect(groupA.slice(0, 2)).toEqual(['a1@1', 'a2@1']);
    // a3 never ran on the delivery it was held back from.
    expect(groupA).not.toContain('a3@1');
    expect(fake.visibilityChanges).toContainEqual({ id: a2, visibilityTimeout: 1 });
    expect(fake.visibilityChanges).toContainEqual({ id: a3, visibilityTimeout: 0 });
    expect(fake.deletes).toContain(a1);
    expect(calls).toContain('b1@1');
  });

  it('reports reconnecting with the last error while receives fail, then running again', async () => {
    const fake = new FakeSqsClient();
    const unavailable = () =>
      new SqsOperationError({
        operation: 'ReceiveMessage',
        queue: 'orders',
        code: 'ServiceUnavailable',
        httpStatusCode: 503,
      });
    fake.receiveErrors.push(unavailable(), unavailable());
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const consumer = await start(fake, async () => HANDLED);

    await advanceUntil('reconnecting', () => consumer.status().state === 'reconnecting');
    expect(consumer.status().lastError).toContain('ServiceUnavailable');
    fake.send('x');
    await advanceUntil('the message', () => fake.deletes.length === 1, 5_000);

    expect(consumer.status().state).toBe('running');
    expect(fake.receives.length).toBeGreaterThanOrEqual(3);
  });

  it('fails, logging the queue, when access is denied, and stops receiving', async () => {
    const fake = new FakeSqsClient();
    fake.receiveErrors.push(
      new SqsOperationError({
        operation: 'ReceiveMessage',
        queue: `${BASE}/orders`,
        code: 'AccessDenied',
        httpStatusCode: 403,
      }),
    );
    const errors = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const consumer = await start(fake, async () => HANDLED, { pollers: 1 });

    await advanceUntil('failed', () => consumer.status().state === 'failed');
    await vi.advanceTimersByTimeAsync(100);

    expect(fake.receives).toHaveLength(1);
    expect(consumer.status().lastError).toMatch(
      /SQS consumer of queue orders stopped: .*AccessDenied/,
    );
    expect(String(errors.mock.calls[0][0])).toContain('queue orders');
  });
});
