import { describe, expect, it, vi } from 'vitest';
import type { DispatchOutcome } from '../../../../lib/dispatch/delivery-outcome';
import { RetryPolicy } from '../../../../lib/dispatch/retry-policy';
import type { InboundDelivery } from '../../../../lib/dispatch/inbound-delivery.interface';
import { KafkaConsumerStats } from '../../../../lib/transports/kafka/consumer/kafka-consumer-stats';
import { KafkaMessageProcessor } from '../../../../lib/transports/kafka/consumer/kafka-message.processor';
import type { KafkaDeadLetterResult } from '../../../../lib/transports/kafka/consumer/kafka-dead-letter.publisher';
import { FAILURE_TEXT_MAX_BYTES } from '../../../../lib/errors/bounded-failure-text';
import { MessageValidationError } from '../../../../lib/errors/message-validation.error';
import {
  failed,
  FakeDeadLetters,
  handled,
  kafkaMessage,
  paymentMessage,
  rejected,
  settle,
  TOKEN,
} from './kafka-consumer-fakes';

function setup(
  outcomes: Array<DispatchOutcome | (() => Promise<DispatchOutcome>)>,
  options: {
    deadLetterFailures?: number;
    maxAttempts?: number;
    deadLetterResult?: KafkaDeadLetterResult;
  } = {},
) {
  const deliveries: InboundDelivery[] = [];
  const handler = vi.fn(async (delivery: InboundDelivery) => {
    deliveries.push(delivery);
    const next = outcomes.shift() ?? handled();
    return typeof next === 'function' ? next() : next;
  });
  const deadLetters = new FakeDeadLetters(options.deadLetterFailures, options.deadLetterResult);
  const stats = new KafkaConsumerStats();
  const logger = { warn: vi.fn(), error: vi.fn() };
  const processor = new KafkaMessageProcessor({
    topic: 'payments',
    groupId: 'payments_consumer_group',
    deadLetterTopic: 'payments.dlq',
    retry: new RetryPolicy({
      maxAttempts: options.maxAttempts ?? 3,
      initialDelayMs: 4,
      multiplier: 2,
    }),
    handler,
    deadLetters,
    stats,
    logger,
    deadLetterBackoff: () => 1,
  });
  const logged = (): string =>
    [...logger.warn.mock.calls, ...logger.error.mock.calls]
      .map(([line]) => String(line))
      .join('\n');
  return { processor, handler, deliveries, deadLetters, stats, logger, logged };
}

const noHalt = (): AbortSignal => new AbortController().signal;

describe('KafkaMessageProcessor', () => {
  it('settles a handled message after one attempt, with the delivery the spec describes', async () => {
    const { processor, deliveries, stats, deadLetters } = setup([handled()]);
    const message = kafkaMessage('12');

    await expect(processor.process(4, message, noHalt())).resolves.toBe('settled');

    expect(deliveries.map((delivery) => JSON.parse(JSON.stringify(delivery)))).toEqual([
      {
        transport: 'kafka',
        source: 'payments',
        body: JSON.parse(JSON.stringify(message.value)),
        attempt: 1,
        partition: 4,
        offset: '12',
        key: 'key-1',
        headers: { 'trace-id': 'trace-1' },
      },
    ]);
    expect(stats).toMatchObject({ handled: 1, retried: 0, deadLettered: 0, inFlight: 0 });
    expect(deadLetters.tries).toBe(0);
  });

  it('asks for a retry after a failed attempt, with the growing backoff, counting attempts from 1', async () => {
    const { processor, deliveries, stats, deadLetters, logger } = setup([failed(), failed()]);
    const message = kafkaMessage('3');

    const first = await processor.process(0, message, noHalt());
    const second = await processor.process(0, message, noHalt(), 2);

    expect(first).toEqual({ attempt: 1, delayMs: expect.any(Number) });
    expect(second).toEqual({ attempt: 2, delayMs: expect.any(Number) });
    // initialDelayMs 4, multiplier 2: 2–4 ms, then 4–8 ms (the upper half jittered).
    const [one, two] = [first, second] as Array<{ delayMs: number }>;
    expect(one.delayMs).toBeGreaterThanOrEqual(2);
    expect(one.delayMs).toBeLessThanOrEqual(4);
    expect(two.delayMs).toBeGreaterThanOrEqual(4);
    expect(two.delayMs).toBeLessThanOrEqual(8);
    expect(deliveries.map((delivery) => delivery.attempt)).toEqual([1, 2]);
    expect(stats).toMatchObject({ handled: 0, retried: 2, deadLettered: 0, inFlight: 0 });
    expect(deadLetters.tries).toBe(0);
    expect(logger.warn.mock.calls.map(([line]) => String(line).replace(/\d+ ms/, 'N ms'))).toEqual([
      expect.stringMatching(
        /^Retrying PAYMENT \(idempotency_key .+\) from kafka:payments\[0\]@3, attempt 1 in N ms: handler-error: Error: boom$/,
      ),
      expect.stringMatching(/attempt 2 in N ms/),
    ]);
  });

  it('settles a message handled on a later attempt', async () => {
    const { processor, deliveries, stats } = setup([handled()]);

    await expect(processor.process(0, kafkaMessage('3'), noHalt(), 3)).resolves.toBe('settled');

    expect(deliveries.map((delivery) => delivery.attempt)).toEqual([3]);
    expect(stats).toMatchObject({ handled: 1, retried: 0 });
  });

  it('dead-letters a message whose attempt maxAttempts fails, with its attempts and reason', async () => {
    const { processor, deliveries, stats, deadLetters, logged } = setup([
      failed(),
      failed(),
      failed(),
      handled(),
    ]);
    const message = kafkaMessage('9');

    expect(await processor.process(1, message, noHalt(), 1)).toMatchObject({ attempt: 1 });
    expect(await processor.process(1, message, noHalt(), 2)).toMatchObject({ attempt: 2 });
    await expect(processor.process(1, message, noHalt(), 3)).resolves.toBe('settled');

    expect(deliveries).toHaveLength(3);
    expect(deadLetters.published).toHaveLength(1);
    const [{ topic, record }] = deadLetters.published;
    expect(topic).toBe('payments.dlq');
    expect(record.value).toBe(message.value);
    expect(record.key).toBe(message.key);
    expect(record.headers).toMatchObject({
      'bus-attempts': '3',
      'bus-reason': 'handler-error: Error: boom',
      'bus-original-partition': '1',
      'bus-original-offset': '9',
    });
    expect(stats).toMatchObject({ handled: 0, retried: 2, deadLettered: 1, inFlight: 0 });
    expect(logged()).toMatch(
      /Dead-lettered PAYMENT .* to payments\.dlq after 3 attempts: handler-error: Error: boom/,
    );
  });

  it('dead-letters a rejected message at once, without retrying', async () => {
    const { processor, deliveries, deadLetters, stats } = setup([rejected()]);

    await expect(processor.process(0, kafkaMessage('0', 'not json'), noHalt())).resolves.toBe(
      'settled',
    );

    expect(deliveries).toHaveLength(1);
    expect(deadLetters.published[0].record.headers).toMatchObject({
      'bus-attempts': '1',
      'bus-reason': 'invalid-message: MessageBusError: body is not valid JSON',
    });
    expect(stats).toMatchObject({ retried: 0, deadLettered: 1 });
  });

  it('keeps publishing to the dead-letter topic until it works, and never settles before', async () => {
    const { processor, deadLetters, stats, logged } = setup([rejected()], {
      deadLetterFailures: 3,
    });

    await expect(processor.process(0, kafkaMessage('0'), noHalt())).resolves.toBe('settled');

    expect(deadLetters.tries).toBe(4);
    expect(deadLetters.published).toHaveLength(1);
    expect(stats.deadLettered).toBe(1);
    expect(logged()).toMatch(
      /Could not publish message from kafka:payments\[0\]@0, attempt 1 to dead-letter topic payments\.dlq \(try 3\): MessageBusError: broker unavailable; trying again in 1 ms; partition 0 waits/,
    );
  });

  it('settles a message whose dead letter was stored truncated, and says so', async () => {
    const { processor, stats, logged } = setup([rejected()], { deadLetterResult: 'truncated' });

    await expect(processor.process(2, kafkaMessage('41'), noHalt())).resolves.toBe('settled');

    expect(stats).toMatchObject({ deadLettered: 1, deadLetterFailures: 0 });
    expect(logged()).toMatch(
      /Dead-lettered message from kafka:payments\[2\]@41, attempt 1 to payments\.dlq \(truncated/,
    );
  });

  it('moves on past a message whose dead letter is refused for good: logged with its coordinates, counted, never retried', async () => {
    const refusal = new Error('TOPIC_AUTHORIZATION_FAILED');
    const message = paymentMessage('REF-SECRET-PAYLOAD');
    const { processor, deadLetters, stats, logger } = setup([rejected()], {
      deadLetterResult: { notStored: refusal },
    });

    await expect(
      processor.process(5, kafkaMessage('77', message.serialize()), noHalt()),
    ).resolves.toBe('settled');

    expect(deadLetters.tries).toBe(1);
    expect(stats).toMatchObject({ deadLettered: 0, deadLetterFailures: 1 });
    expect(stats.snapshot('c')).toMatchObject({ deadLettered: 0, deadLetterFailures: 1 });
    const [line] = logger.error.mock.calls.map(([text]) => String(text));
    expect(line).toContain('dead-letter topic payments.dlq');
    expect(line).toContain('Error: TOPIC_AUTHORIZATION_FAILED');
    expect(line).toContain('topic payments partition 5 offset 77');
    expect(line).toContain('invalid-message');
    expect(line).not.toContain('REF-SECRET-PAYLOAD');
    expect(line).not.toContain(TOKEN);
  });

  it('bounds the reason in the dead-letter header and in the dead-letter log line', async () => {
    const huge = new MessageValidationError([
      { field: 'payload.x', problems: [`payload.x ${'k'.repeat(600_000)}`] },
    ]);
    const { processor, deadLetters, logger } = setup(
      [
        { status: 'failed', error: huge, message: paymentMessage('R') },
        { status: 'rejected', reason: 'invalid-message', error: huge },
      ],
      { maxAttempts: 2 },
    );

    await processor.process(0, kafkaMessage('1'), noHalt());
    await processor.process(0, kafkaMessage('2'), noHalt(), 2);

    const reason = String(deadLetters.published[0].record.headers?.['bus-reason']);
    expect(Buffer.byteLength(reason)).toBeLessThanOrEqual(FAILURE_TEXT_MAX_BYTES);
    expect(
      reason.startsWith('invalid-message: MessageValidationError: Invalid message: payload.x'),
    ).toBe(true);
    // The retry line carries the settlement's reason as `describeFailure` gives it, bounded there.
    const lines = logger.error.mock.calls.map(([text]) => String(text));
    expect(lines).toHaveLength(1);
    for (const line of lines) expect(line.length).toBeLessThan(FAILURE_TEXT_MAX_BYTES + 300);
  });

  it('leaves the message unsettled when halted while the dead-letter publish keeps failing', async () => {
    const { processor, deadLetters } = setup([rejected()], { deadLetterFailures: 1_000 });
    const halt = new AbortController();
    const processing = processor.process(0, kafkaMessage('0'), halt.signal);
    await settle();
    halt.abort();

    await expect(processing).resolves.toBe('abandoned');
    expect(deadLetters.published).toHaveLength(0);
  });

  it('does not start a retry once halted, but still dead-letters a message whose attempts are used up', async () => {
    const halted = new AbortController();
    halted.abort();
    const retrying = setup([failed()]);
    await expect(retrying.processor.process(0, kafkaMessage('0'), halted.signal)).resolves.toBe(
      'abandoned',
    );
    expect(retrying.deliveries).toHaveLength(1);

    const exhausted = setup([failed()], { maxAttempts: 1 });
    await expect(exhausted.processor.process(0, kafkaMessage('0'), halted.signal)).resolves.toBe(
      'settled',
    );
    expect(exhausted.deadLetters.published).toHaveLength(1);
  });

  it('counts a message in flight while its handler runs', async () => {
    let finish!: (outcome: DispatchOutcome) => void;
    const { processor, stats } = setup([() => new Promise((resolve) => (finish = resolve))]);
    const processing = processor.process(0, kafkaMessage('0'), noHalt());
    await settle();
    expect(stats.inFlight).toBe(1);

    finish(handled());
    await expect(processing).resolves.toBe('settled');
    expect(stats).toMatchObject({ inFlight: 0, handled: 1 });
  });

  it('treats a handler that throws instead of returning an outcome as a failed attempt', async () => {
    const { processor, deadLetters } = setup([], { maxAttempts: 1 });
    const throwing = new KafkaMessageProcessor({
      ...(
        processor as unknown as { options: ConstructorParameters<typeof KafkaMessageProcessor>[0] }
      ).options,
      handler: () => {
        throw new TypeError('not a promise');
      },
    });

    await expect(throwing.process(0, kafkaMessage('0'), noHalt())).resolves.toBe('settled');
    expect(deadLetters.published[0].record.headers?.['bus-reason']).toBe(
      'handler-error: TypeError: not a promise',
    );
  });

  it('never logs the token or the payload', async () => {
    const message = paymentMessage('REF-SECRET-PAYLOAD');
    const { processor, logged } = setup([failed(message), failed(message), failed(message)], {
      deadLetterFailures: 1,
    });

    for (const attempt of [1, 2, 3])
      await processor.process(0, kafkaMessage('0', message.serialize()), noHalt(), attempt);

    expect(logged()).toContain(message.meta_data.idempotency_key);
    expect(logged()).not.toContain(TOKEN);
    expect(logged()).not.toContain('REF-SECRET-PAYLOAD');
    expect(logged()).not.toContain('Jane Doe');
  });
});

describe('KafkaMessageProcessor with a handler that answers at once', () => {
  function syncSetup(answer: (delivery: InboundDelivery) => DispatchOutcome) {
    const stats = new KafkaConsumerStats();
    const processor = new KafkaMessageProcessor({
      topic: 'payments',
      groupId: 'payments_consumer_group',
      deadLetterTopic: 'payments.dlq',
      retry: new RetryPolicy({ maxAttempts: 3, initialDelayMs: 4, multiplier: 2 }),
      handler: answer,
      deadLetters: new FakeDeadLetters(),
      stats,
      logger: { warn: vi.fn(), error: vi.fn() },
    });
    return { processor, stats };
  }

  it('settles a handled message at once, without a promise', () => {
    const { processor, stats } = syncSetup(() => handled());

    expect(processor.process(0, kafkaMessage('3'), noHalt())).toBe('settled');
    expect(stats.handled).toBe(1);
    expect(stats.inFlight).toBe(0);
  });

  it('returns a failed attempt’s retry at once, as the promise would have', () => {
    const { processor, stats } = syncSetup(() => failed());

    expect(processor.process(0, kafkaMessage('3'), noHalt(), 2)).toEqual({
      attempt: 2,
      delayMs: expect.any(Number) as number,
    });
    expect(stats.retried).toBe(1);
    expect(stats.inFlight).toBe(0);
  });

  it('takes a handler that throws at once (against the contract) as a failed attempt', () => {
    const { processor, stats } = syncSetup(() => {
      throw new Error('broke the contract');
    });

    expect(processor.process(0, kafkaMessage('3'), noHalt())).toEqual({
      attempt: 1,
      delayMs: expect.any(Number) as number,
    });
    expect(stats.inFlight).toBe(0);
  });
});
