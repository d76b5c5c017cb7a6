import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DispatchOutcome } from '../../../../lib/dispatch/dispatch-outcome';
import { RetryPolicy } from '../../../../lib/dispatch/retry-policy';
import { DEFAULT_UNHANDLED_POLICY } from '../../../../lib/options/consumer-defaults';
import { MessageBusError } from '../../../../lib/errors/message-bus.error';
import { SqsOperationError } from '../../../../lib/errors/sqs-operation.error';
import type { MessageBusMessage } from '../../../../lib/message/message-bus-message';
import type { ResolvedSqsConsumer } from '../../../../lib/options/resolved-options';
import { SqsConsumer } from '../../../../lib/transports/sqs/sqs.consumer';
import type { InboundDelivery } from '../../../../lib/transports/inbound-delivery.interface';
import type { DeliveryHandler } from '../../../../lib/transports/transport.interface';
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
    pollers: 1,
    unhandled: DEFAULT_UNHANDLED_POLICY,
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

async function until(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SqsConsumer (against an in-memory SQS)', () => {
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((consumer) => consumer.stop(0)));
    vi.restoreAllMocks();
  });

  it('hands the handler the SQS delivery: queue, raw body, receive count as attempt, ids', async () => {
    const fake = new FakeSqsClient();
    const id = fake.send('{"raw": true}');
    const deliveries: InboundDelivery[] = [];
    await start(fake, async (delivery) => {
      deliveries.push(delivery);
      return HANDLED;
    });

    await until('the delete', () => fake.deletes.length === 1);

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
      async () => {
        running += 1;
        peak = Math.max(peak, running);
        peakHeld = Math.max(peakHeld, started.consumer?.status().inFlight ?? 0);
        await sleep(5 + Math.random() * 10);
        running -= 1;
        return HANDLED;
      },
      { concurrency: 15, pollers: 3 },
    );
    started.consumer = consumer;

    await until('every delete', () => fake.deletes.length === 120);

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
    const consumer = await start(
      fake,
      async (delivery) => {
        attempts.push(delivery.attempt);
        return delivery.attempt === 1 ? FAILED : HANDLED;
      },
      { retry: new RetryPolicy({ maxAttempts: 3, initialDelayMs: 100 }) },
    );

    await until('the retry delay', () => fake.visibilityChanges.length === 1);
    // 100 ms is rounded up to the one second SQS can express.
    expect(fake.visibilityChanges).toEqual([{ id, visibilityTimeout: 1 }]);
    await until('the delete', () => fake.deletes.length === 1, 3_000);

    expect(attempts).toEqual([1, 2]);
    expect(consumer.status()).toMatchObject({ handled: 1, retried: 1, deadLettered: 0 });
  });

  it('dead-letters a rejected message with its reason, then deletes it', async () => {
    const fake = new FakeSqsClient();
    fake.send('not json');
    const consumer = await start(fake, async () => REJECTED);

    await until('the delete', () => fake.deletes.length === 1);

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

    await until('the visibility change', () => fake.visibilityChanges.length === 1);

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

    await until('the visibility change', () => fake.visibilityChanges.length === 1);

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

    await until('the retry', () => fake.visibilityChanges.length === 1);
    expect(consumer.status().retried).toBe(1);
  });

  it('logs a failed delete as a coming redelivery', async () => {
    const fake = new FakeSqsClient();
    fake.failDeletes = true;
    fake.send('x');
    const warnings = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await start(fake, async () => HANDLED);

    await until('the warning', () => warnings.mock.calls.length > 0);
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
    await until('4 handlers running', () => started === 4);
    const receivesBeforeStop = fake.receives.length;

    const stopping = Date.now();
    await consumer.stop(300);
    const took = Date.now() - stopping;

    const idOf = (body: string) => ids.find((entry) => entry.body === body)!.id;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1_500);
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
    await sleep(50);
    expect(fake.deletes).toHaveLength(2);
    expect(consumer.status().handled).toBe(2);
    expect(fake.receives.length).toBeLessThanOrEqual(receivesBeforeStop + 1);
  });

  it('does not spin on an empty queue with short polling', async () => {
    const fake = new FakeSqsClient();
    await start(fake, async () => HANDLED, { waitTimeSeconds: 0, pollers: 2 });

    await sleep(300);

    // Two pollers, one empty receive each, then a pause.
    expect(fake.receives.length).toBeLessThanOrEqual(4);
  });

  it('stop() aborts a long poll at once', async () => {
    const fake = new FakeSqsClient();
    const consumer = await start(fake, async () => HANDLED, { waitTimeSeconds: 20 });
    await until('the long poll', () => fake.receives.length === 1);

    const stopping = Date.now();
    await consumer.stop(5_000);

    expect(Date.now() - stopping).toBeLessThan(500);
    expect(consumer.status().state).toBe('stopped');
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

    await until('a3 to be given back', () =>
      fake.visibilityChanges.some((change) => change.id === a3),
    );
    await consumer.stop(1_000);

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

    await until('reconnecting', () => consumer.status().state === 'reconnecting');
    expect(consumer.status().lastError).toContain('ServiceUnavailable');
    fake.send('x');
    await until('the message', () => fake.deletes.length === 1, 5_000);

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

    await until('failed', () => consumer.status().state === 'failed');
    await sleep(100);

    expect(fake.receives).toHaveLength(1);
    expect(consumer.status().lastError).toMatch(
      /SQS consumer of queue orders stopped: .*AccessDenied/,
    );
    expect(String(errors.mock.calls[0][0])).toContain('queue orders');
  });
});
