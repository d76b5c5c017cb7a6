import { Test, type TestingModule } from '@nestjs/testing';
import { ConsumerOrchestrator, MessageBusModule, type ConsumerStatus } from 'nestjs-message-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILURE_TEXT_MAX_BYTES } from '../../../../lib/errors/bounded-failure-text';
import { CapturedLogger } from '../../../support/captured-logger';
import { longKeyEnvelope, paddedInvalidEnvelope } from '../../../support/poison-messages';
import {
  committedOffsets,
  kafkaOptions,
  payment,
  paymentHandler,
  produceRaw,
  rawKafka,
  readRecords,
  sleep,
  uniqueName,
  waitUntil,
} from './kafka-runtime-kit';

/**
 * Dead letters near the broker's size limit, and dead-letter topics that refuse for good.
 * The topics get `max.message.bytes` = 64 KiB instead of the broker's 1 MiB default (the same
 * check, sixteen times less data to move on two shared cores). This broker auto-creates topics
 * and has no authorizer, so "missing topic" and "not authorised" cannot be staged here; the
 * not-stored path is reached through a dead-letter topic whose limit is below the bus-* headers
 * alone (even the truncated record is refused) and through a topic name the broker rejects
 * (INVALID_TOPIC_EXCEPTION). The unit specs cover the other refusals.
 */
const LIMIT = 65_536;
/**
 * 8 bytes under the limit. Measured on this broker: a batch of one record with the 6-byte key
 * `poison` and the header `trace-id: t-1` is its value plus 91 bytes (65,445 fits, 65,446 not).
 */
const NEAR_LIMIT_VALUE = LIMIT - 91 - 8;

const nearLimit = { topic: uniqueName('kafka-dl-limit'), groupId: uniqueName('kafka-dl-limit-g') };
const tiny = { topic: uniqueName('kafka-dl-tiny'), groupId: uniqueName('kafka-dl-tiny-g') };
const invalid = {
  topic: uniqueName('kafka-dl-invalid'),
  groupId: uniqueName('kafka-dl-invalid-g'),
};
const nearLimitDlq = `${nearLimit.topic}.dlq`;
const tinyDlq = `${tiny.topic}.tiny-dlq`;
const invalidDlq = `${invalid.topic} is not a topic name!`;

interface Call {
  readonly topic: string;
  readonly reference: string;
  readonly offset: number;
}
const calls: Call[] = [];
const logger = new CapturedLogger();
let app: TestingModule;

async function createTopics(): Promise<void> {
  const admin = rawKafka().admin();
  await admin.connect();
  const limited = (topic: string, bytes: number) => ({
    topic,
    numPartitions: 1,
    configEntries: [{ name: 'max.message.bytes', value: String(bytes) }],
  });
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        limited(nearLimit.topic, LIMIT),
        limited(nearLimitDlq, LIMIT),
        { topic: tiny.topic, numPartitions: 1 },
        limited(tinyDlq, 200),
        { topic: invalid.topic, numPartitions: 1 },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

async function waitHandled(topic: string, reference: string): Promise<Call> {
  const find = (): Call | undefined =>
    calls.find((call) => call.topic === topic && call.reference === reference);
  await waitUntil(
    () => find() !== undefined,
    30_000,
    () => `${reference} handled on ${topic} (calls: ${JSON.stringify(calls)})`,
  );
  return find() as Call;
}

async function waitCommittedPast(groupId: string, topic: string, offset: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const committed = (await committedOffsets(groupId, topic)).get(0) ?? -1;
    if (committed > offset) return;
    if (Date.now() > deadline)
      throw new Error(`${topic}: offset ${offset} not committed (at ${committed})`);
    await sleep(100);
  }
}

function statusOf(topic: string): ConsumerStatus {
  const status = app
    .get(ConsumerOrchestrator)
    .statuses()
    .find((one) => one.name.includes(topic));
  if (!status) throw new Error(`no consumer of ${topic}`);
  return status;
}

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

describe('KafkaConsumer: dead letters near the size limit, and dead-letter topics that refuse them', () => {
  beforeAll(async () => {
    await createTopics();
    app = await Test.createTestingModule({
      imports: [
        MessageBusModule.forRoot({
          transport: 'kafka',
          kafka: kafkaOptions(),
          consumers: {
            kafka: [
              {
                ...nearLimit,
                deadLetterTopic: nearLimitDlq,
                retry: { maxAttempts: 2, initialDelayMs: 100, maxDelayMs: 500 },
              },
              { ...tiny, deadLetterTopic: tinyDlq },
              { ...invalid, deadLetterTopic: invalidDlq },
            ],
          },
          shutdownTimeoutMs: 10_000,
        }),
      ],
      providers: [
        paymentHandler((payload, context) => {
          if (payload.reference === 'LOUD') throw new Error(`ledger said ${'no '.repeat(200_000)}`);
          const delivery = context.getDelivery();
          calls.push({
            topic: delivery.source,
            reference: payload.reference,
            offset: Number(delivery.offset),
          });
        }),
      ],
    }).compile();
    app.useLogger(logger);
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('dead-letters a near-limit invalid record truncated and a long-key one with a bounded reason, then handles what follows', async () => {
    const key = 'poison';
    const nearLimitValue = paddedInvalidEnvelope(NEAR_LIMIT_VALUE, 'near-limit');
    const longKeyValue = longKeyEnvelope(60_000);
    expect(bytes(longKeyValue)).toBeLessThan(LIMIT - 2_000);
    // One record per send: the topic's limit applies to the whole batch.
    await produceRaw(nearLimit.topic, [
      { key, value: nearLimitValue, headers: { 'trace-id': 't-1' } },
    ]);
    await produceRaw(nearLimit.topic, [{ key, value: longKeyValue }]);
    await produceRaw(nearLimit.topic, [{ key, value: payment('ok-after-limit').serialize() }]);

    const after = await waitHandled(nearLimit.topic, 'ok-after-limit');
    const records = (await readRecords(nearLimitDlq, 2)).sort(
      (a, b) => Number(a.headers['bus-original-offset']) - Number(b.headers['bus-original-offset']),
    );

    const [truncated, longKey] = records;
    expect(truncated.key).toBe(key);
    expect(truncated.headers).toMatchObject({
      'bus-truncated': 'true',
      'bus-original-size': String(NEAR_LIMIT_VALUE),
      'bus-original-topic': nearLimit.topic,
      'bus-original-partition': '0',
      'bus-original-offset': String(after.offset - 2),
      'bus-consumer-group': nearLimit.groupId,
    });
    expect(truncated.headers['bus-reason']).toMatch(/^invalid-message: .*payload\.currency/);
    expect(truncated.headers['trace-id']).toBeUndefined();
    const kept = truncated.value as Buffer;
    expect(kept.length).toBeGreaterThan(NEAR_LIMIT_VALUE - 2_000);
    expect(kept.length).toBeLessThan(NEAR_LIMIT_VALUE);
    expect(kept.equals(Buffer.from(nearLimitValue).subarray(0, kept.length))).toBe(true);

    expect(longKey.headers['bus-truncated']).toBeUndefined();
    expect(longKey.headers['bus-original-offset']).toBe(String(after.offset - 1));
    expect(longKey.value?.toString()).toBe(longKeyValue);
    const reason = longKey.headers['bus-reason'];
    expect(reason).toMatch(/^invalid-message: .*is nested more than 32 levels deep/);
    expect(bytes(reason)).toBeLessThanOrEqual(FAILURE_TEXT_MAX_BYTES);

    await waitCommittedPast(nearLimit.groupId, nearLimit.topic, after.offset);
    expect(statusOf(nearLimit.topic)).toMatchObject({ deadLettered: 2, handled: 1 });
    expect(statusOf(nearLimit.topic).deadLetterFailures).toBeUndefined();
    expect(logger.containing('(truncated')).toHaveLength(1);
  });

  it('bounds a handler error as long as the message, in bus-reason and in its retry and dead-letter lines', async () => {
    await produceRaw(nearLimit.topic, [{ key: 'loud', value: payment('LOUD').serialize() }]);
    await produceRaw(nearLimit.topic, [
      { key: 'loud', value: payment('ok-after-loud').serialize() },
    ]);

    const after = await waitHandled(nearLimit.topic, 'ok-after-loud');
    const loud = (await readRecords(nearLimitDlq, 3)).find(
      (record) => record.headers['bus-original-offset'] === String(after.offset - 1),
    );
    const reason = loud?.headers['bus-reason'] as string;
    expect(reason).toMatch(/^handler-error: Error: ledger said no no /);
    expect(bytes(reason)).toBeLessThanOrEqual(FAILURE_TEXT_MAX_BYTES);
    expect(logger.containing('Retrying')).toHaveLength(1);
    const lines = logger.containing('ledger said');
    expect(lines.map((line) => line.level)).toEqual(['warn', 'error']);
    for (const line of lines) expect(bytes(line.text)).toBeLessThan(FAILURE_TEXT_MAX_BYTES + 1_024);
  });

  it.each([
    ['whose limit is below the dead-letter headers', tiny, tinyDlq, 'MESSAGE_TOO_LARGE'],
    ['whose name the broker rejects', invalid, invalidDlq, 'INVALID_TOPIC_EXCEPTION'],
  ])(
    'moves past a message a dead-letter topic %s refuses: logged with its coordinates, counted, committed',
    async (_, consumer, deadLetterTopic, kafkaError) => {
      const poison = paddedInvalidEnvelope(2_000, `refused-${consumer.topic}`);
      await produceRaw(consumer.topic, [{ key: 'poison', value: poison }]);
      await produceRaw(consumer.topic, [
        { key: 'poison', value: payment('ok-after-refusal').serialize() },
      ]);

      const after = await waitHandled(consumer.topic, 'ok-after-refusal');
      await waitCommittedPast(consumer.groupId, consumer.topic, after.offset);

      expect(statusOf(consumer.topic)).toMatchObject({
        deadLettered: 0,
        deadLetterFailures: 1,
        handled: 1,
      });
      const [line, ...more] = logger
        .containing(`Could not store`)
        .filter((one) =>
          one.text.includes(`topic ${consumer.topic} partition 0 offset ${after.offset - 1}`),
        );
      expect(more).toHaveLength(0);
      expect(line.level).toBe('error');
      expect(line.text).toContain(`dead-letter topic ${deadLetterTopic}`);
      expect(line.text).toContain(kafkaError);
      expect(line.text).toContain('invalid-message');
      expect(line.text).not.toContain('Zoë');
      expect(line.text).not.toContain('poison.token');
    },
  );

  it('writes no log line longer than the failure-text cap allows', () => {
    const longest = Math.max(...logger.lines.map((line) => bytes(line.text)));
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(longest).toBeLessThan(FAILURE_TEXT_MAX_BYTES + 1_024);
  });
});
