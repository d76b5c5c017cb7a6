import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import {
  EventType,
  InstructionType,
  MessageBusMessage,
  type MessageBusContext,
} from 'nestjs-message-bus';
import type { SqsClient } from '../../../../lib/transports/sqs/sqs.client';
import {
  attribute,
  CapturingLogger,
  createQueue,
  drainQueue,
  integrationClient,
  PAYER_NAME,
  payment,
  queueDepth,
  sendPayments,
  sendRaw,
  SERVICE_TOKEN,
  startConsumerApp,
  waitFor,
  type ConsumerApp,
} from './sqs-consumer-kit';

describe('SqsConsumer: retries and dead letters on ElasticMQ', () => {
  let client: SqsClient;
  let app: ConsumerApp | undefined;

  beforeAll(() => {
    client = integrationClient();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    CapturingLogger.restore();
  });
  afterAll(async () => {
    await client.close();
  });

  it('dead-letters poison and invalid messages at once, body unchanged, with their reason', async () => {
    const queue = await createQueue(client, 'dl-poison');
    const deadLetterQueue = await createQueue(client, 'dl-poison-dlq');
    const invalidEnvelope = JSON.stringify({
      meta_data: {
        source: 'X',
        instruction_type: 'PAYMENT',
        created_at: '2024-01-01T00:00:00Z',
        token: SERVICE_TOKEN,
        idempotency_key: 'k-1',
      },
      payload: { reference: 'R', payer_name: PAYER_NAME },
    });
    const unknownType = JSON.stringify({
      meta_data: {
        source: 'X',
        instruction_type: 'NO_SUCH_TYPE',
        created_at: '2024-01-01T00:00:00Z',
        token: SERVICE_TOKEN,
        idempotency_key: 'k-2',
      },
      payload: {},
    });
    // An instruction nobody handles is misrouted: dead-lettered. An event nobody handles is
    // for other services: acknowledged (unhandled's defaults).
    const noHandler = MessageBusMessage.create({
      source: 'LEDGER',
      instructionType: InstructionType.STATUS_UPDATE,
      serviceToken: SERVICE_TOKEN,
      payload: { reference: 'R', status: 'DONE' },
    }).serialize();
    const ignoredEvent = MessageBusMessage.create({
      source: 'LEDGER',
      event: EventType.TRANSACTION_STATUS_UPDATE,
      serviceToken: SERVICE_TOKEN,
      payload: { reference: 'R', status: 'DONE' },
    }).serialize();
    const poison = [
      { body: 'not json at all {', reason: /^invalid-message: / },
      {
        body: invalidEnvelope,
        reason: /^invalid-message: MessageValidationError: .*payload\.currency/,
      },
      { body: unknownType, reason: /^unknown-type: / },
      { body: noHandler, reason: /^no-handler: / },
    ];
    const sent = new Map<string, (typeof poison)[number]>();
    for (const item of poison) sent.set(await sendRaw(queue, item.body), item);
    await sendRaw(queue, ignoredEvent);

    const calls: string[] = [];
    const logger = new CapturingLogger();
    app = await startConsumerApp({
      behaviour: (payload) => void calls.push(payload.reference),
      consumers: [
        {
          queue,
          deadLetterQueue,
          retry: { maxAttempts: 3, initialDelayMs: 200 },
          waitTimeSeconds: 1,
          visibilityTimeout: 5,
        },
      ],
      logger,
    });

    await waitFor('4 dead letters', () => app!.status()[0].deadLettered === 4);
    const deadLetters = await drainQueue(client, deadLetterQueue, 4);

    expect(calls).toEqual([]);
    expect(deadLetters).toHaveLength(4);
    for (const letter of deadLetters) {
      const originalId = attribute(letter, 'bus-original-message-id') as string;
      const original = sent.get(originalId);
      expect(original, `dead letter for ${originalId}`).toBeDefined();
      expect(letter.rawBody).toBe(original!.body);
      expect(attribute(letter, 'bus-reason')).toMatch(original!.reason);
      expect(attribute(letter, 'bus-source-queue')).toBe(queue);
      expect(attribute(letter, 'bus-attempts')).toBe('1');
      expect(new Date(attribute(letter, 'bus-failed-at') as string).getTime()).toBeGreaterThan(
        Date.now() - 60_000,
      );
    }
    await waitFor('the source queue to empty', async () => {
      const depth = await queueDepth(client, queue);
      return depth.visible === 0 && depth.inFlight === 0;
    });
    expect(app.status()[0]).toMatchObject({
      state: 'running',
      // The ignored event, acknowledged without a handler.
      handled: 1,
      retried: 0,
      deadLettered: 4,
      inFlight: 0,
    });
    const logs = logger.lines.join('\n');
    expect(logs).toContain(queue);
    expect(logs).not.toContain(SERVICE_TOKEN);
    expect(logs).not.toContain(PAYER_NAME);
  });

  it('retries a handler that fails twice with growing delays, then deletes the message once', async () => {
    const queue = await createQueue(client, 'dl-retry');
    const deadLetterQueue = await createQueue(client, 'dl-retry-dlq');
    await sendPayments(client, queue, ['R-1']);
    const deliveries: Array<{ at: number; attempt: number }> = [];
    const logger = new CapturingLogger();
    app = await startConsumerApp({
      behaviour: (_payment, context: MessageBusContext) => {
        deliveries.push({ at: Date.now(), attempt: context.getAttempt() });
        if (deliveries.length <= 2)
          throw new Error(`downstream unavailable (try ${deliveries.length})`);
      },
      // Delays: attempt 1 in [0.5, 1] s, attempt 2 in [1.5, 3] s, rounded up to whole seconds by SQS.
      consumers: [
        {
          queue,
          deadLetterQueue,
          retry: { maxAttempts: 3, initialDelayMs: 1_000, multiplier: 3 },
          waitTimeSeconds: 1,
          visibilityTimeout: 5,
        },
      ],
      logger,
    });

    await waitFor('the third delivery to succeed', () => app!.status()[0].handled === 1);
    await waitFor('the message to be deleted', async () => {
      const depth = await queueDepth(client, queue);
      return depth.visible === 0 && depth.inFlight === 0;
    });

    expect(deliveries.map((delivery) => delivery.attempt)).toEqual([1, 2, 3]);
    const firstGap = deliveries[1].at - deliveries[0].at;
    const secondGap = deliveries[2].at - deliveries[1].at;
    expect(firstGap).toBeGreaterThanOrEqual(900);
    expect(secondGap).toBeGreaterThanOrEqual(1_900);
    expect(secondGap).toBeGreaterThan(firstGap + 500);
    expect(app.status()[0]).toMatchObject({ handled: 1, retried: 2, deadLettered: 0, inFlight: 0 });
    // Deleted once: nothing comes back after a visibility timeout, nothing was dead-lettered.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(deliveries).toHaveLength(3);
    expect(await queueDepth(client, deadLetterQueue)).toEqual({ visible: 0, inFlight: 0 });
    expect(
      logger.lines.some((line) => line.includes('Retrying PAYMENT') && line.includes(queue)),
    ).toBe(true);
    expect(logger.lines.join('\n')).not.toContain(SERVICE_TOKEN);
  });

  it('dead-letters a message whose handler always fails after maxAttempts deliveries', async () => {
    const queue = await createQueue(client, 'dl-exhaust');
    const deadLetterQueue = await createQueue(client, 'dl-exhaust-dlq');
    const message = payment('R-1');
    const messageId = await client.sendMessage(message, queue);
    const attempts: number[] = [];
    app = await startConsumerApp({
      behaviour: (_payment, context) => {
        attempts.push(context.getAttempt());
        throw new Error('ledger refused it');
      },
      consumers: [
        {
          queue,
          deadLetterQueue,
          retry: { maxAttempts: 3, initialDelayMs: 200 },
          waitTimeSeconds: 1,
          visibilityTimeout: 5,
        },
      ],
    });

    await waitFor('the dead letter', () => app!.status()[0].deadLettered === 1);
    const [letter] = await drainQueue(client, deadLetterQueue, 1);

    expect(attempts).toEqual([1, 2, 3]);
    expect(letter.rawBody).toBe(message.serialize());
    expect(attribute(letter, 'bus-reason')).toBe('handler-error: Error: ledger refused it');
    expect(attribute(letter, 'bus-attempts')).toBe('3');
    expect(attribute(letter, 'bus-original-message-id')).toBe(messageId);
    await waitFor('the source queue to empty', async () => {
      const depth = await queueDepth(client, queue);
      return depth.visible === 0 && depth.inFlight === 0;
    });
    expect(app.status()[0]).toMatchObject({ handled: 0, retried: 2, deadLettered: 1 });
  });

  it('without a dead-letter queue, keeps a rejected message on the queue, out of sight, and logs an error', async () => {
    const queue = await createQueue(client, 'dl-none');
    await sendRaw(queue, 'not json');
    const logger = new CapturingLogger();
    app = await startConsumerApp({
      behaviour: () => undefined,
      consumers: [
        {
          queue,
          retry: { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 60_000 },
          waitTimeSeconds: 1,
          visibilityTimeout: 2,
        },
      ],
      logger,
    });

    await waitFor('the rejection to be logged', () =>
      logger.lines.some((line) => line.includes('has no dead-letter queue')),
    );
    // Well past the 2 s visibility timeout: it must not have come back (no hot loop) nor been deleted.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    expect(logger.lines.filter((line) => line.includes('has no dead-letter queue'))).toHaveLength(
      1,
    );
    expect(await queueDepth(client, queue)).toEqual({ visible: 0, inFlight: 1 });
    expect(app.status()[0]).toMatchObject({ deadLettered: 0, handled: 0 });
  });
});
