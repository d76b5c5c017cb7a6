import type { TestingModule } from '@nestjs/testing';
import { KAFKA_DEAD_LETTER_HEADERS, KAFKA_RETRY_HEADERS } from 'nestjs-message-bus';
import { afterEach, describe, expect, it } from 'vitest';
import {
  committedOffsets,
  payment,
  producePayments,
  produceRaw,
  readRecords,
  sleep,
  statusOf,
  uniqueName,
  waitUntil,
  type HandlerCall,
} from '../kafka/kafka-runtime-kit';
import { createRetryTopics, recording, startRetryApp } from './kafka-retry-kit';

const apps: TestingModule[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

const callsOf = (calls: HandlerCall[], reference: string): HandlerCall[] =>
  calls.filter((call) => call.reference === reference);

async function waitCommitted(groupId: string, topic: string, partition: number, next: number) {
  let committed = -1;
  for (let tries = 0; tries < 100 && committed < next; tries += 1) {
    if (tries > 0) await sleep(100);
    committed = (await committedOffsets(groupId, topic)).get(partition) ?? -1;
  }
  expect(committed).toBeGreaterThanOrEqual(next);
}

describe("KafkaConsumer retryMode 'retry-topic'", () => {
  it('goes on with the partition past a failed message, which comes back from the retry topic as attempt 2', async () => {
    const topic = uniqueName('kafka-retry-topic-flow');
    const groupId = uniqueName('kafka-retry-topic-flow-group');
    await createRetryTopics(topic, 1);
    const calls: HandlerCall[] = [];
    const app = await startRetryApp(
      // delayAfter(1) is 1–2 s: the followers are handled long before.
      {
        topic,
        groupId,
        retryMode: 'retry-topic',
        retry: { maxAttempts: 3, initialDelayMs: 2_000 },
      },
      recording(calls, (reference, attempt) => reference === 'stuck' && attempt === 1),
      'provider',
    );
    apps.push(app);
    await producePayments(topic, [
      { reference: 'stuck', key: 'same-key' },
      ...Array.from({ length: 5 }, (_, index) => ({
        reference: `follower-${index}`,
        key: 'same-key',
      })),
    ]);
    await waitUntil(
      () => callsOf(calls, 'stuck').length >= 2,
      20_000,
      () => `stuck retried (calls: ${JSON.stringify(calls)})`,
    );

    const [first, retry] = callsOf(calls, 'stuck');
    expect(first.attempt).toBe(1);
    expect(retry.attempt).toBe(2);
    // The retry names the original coordinates, and waited out its delay.
    expect(retry).toMatchObject({ partition: first.partition, offset: first.offset });
    expect(retry.at - first.at).toBeGreaterThanOrEqual(950);
    // Every follower on the same key (same partition) ran before the retry: nothing waited for it.
    const followers = calls.filter((call) => call.reference.startsWith('follower-'));
    expect(followers.map((call) => call.reference)).toEqual([
      'follower-0',
      'follower-1',
      'follower-2',
      'follower-3',
      'follower-4',
    ]);
    expect(followers.every((call) => call.at < retry.at)).toBe(true);
    expect(calls).toHaveLength(7);
    await waitCommitted(groupId, topic, 0, 6);
    expect(statusOf(app)).toMatchObject({ handled: 6, retried: 1, deadLettered: 0 });
  });

  it('dead-letters after maxAttempts with the headers of the blocking mode, naming the original topic', async () => {
    const topic = uniqueName('kafka-retry-topic-dlq');
    const groupId = uniqueName('kafka-retry-topic-dlq-group');
    await createRetryTopics(topic, 2);
    const calls: HandlerCall[] = [];
    const app = await startRetryApp(
      {
        topic,
        groupId,
        retryMode: 'retry-topic',
        retry: { maxAttempts: 3, initialDelayMs: 50, multiplier: 1 },
      },
      recording(calls, (reference) => reference === 'poison'),
      'controller',
    );
    apps.push(app);
    const body = Buffer.from(payment('poison').serialize());
    await produceRaw(topic, [{ key: 'poison-key', value: body }]);
    const [dead] = await readRecords(`${topic}.dlq`, 1);

    expect(callsOf(calls, 'poison').map((call) => call.attempt)).toEqual([1, 2, 3]);
    const original = callsOf(calls, 'poison')[0];
    expect(dead.key).toBe('poison-key');
    expect(dead.value?.equals(body)).toBe(true);
    expect(dead.headers).toMatchObject({
      [KAFKA_DEAD_LETTER_HEADERS.originalTopic]: topic,
      [KAFKA_DEAD_LETTER_HEADERS.originalPartition]: String(original.partition),
      [KAFKA_DEAD_LETTER_HEADERS.originalOffset]: String(original.offset),
      [KAFKA_DEAD_LETTER_HEADERS.consumerGroup]: groupId,
      [KAFKA_DEAD_LETTER_HEADERS.attempts]: '3',
      [KAFKA_DEAD_LETTER_HEADERS.reason]: expect.stringMatching(/^handler-error: .*poison fails/),
    });
    // The same header set as a dead letter of the blocking mode: nothing of the retry topic's.
    expect(
      Object.keys(dead.headers)
        .filter((name) => name.startsWith('bus-'))
        .sort(),
    ).toEqual(Object.values(KAFKA_DEAD_LETTER_HEADERS).sort());
    expect(dead.headers[KAFKA_RETRY_HEADERS.dueAt]).toBeUndefined();

    // Two copies went through the retry topic, the second with attempt 2's facts.
    const copies = await readRecords(`${topic}.retry`, 2);
    expect(copies.map((copy) => copy.headers[KAFKA_DEAD_LETTER_HEADERS.attempts]).sort()).toEqual([
      '1',
      '2',
    ]);
    for (const copy of copies) {
      expect(copy.key).toBe('poison-key');
      expect(copy.value?.equals(dead.value as Buffer)).toBe(true);
      expect(copy.headers[KAFKA_DEAD_LETTER_HEADERS.originalTopic]).toBe(topic);
      expect(Date.parse(copy.headers[KAFKA_RETRY_HEADERS.dueAt])).not.toBeNaN();
    }
    await waitUntil(
      () => statusOf(app).deadLettered === 1,
      10_000,
      () => `deadLettered counted (${JSON.stringify(statusOf(app))})`,
    );
    expect(statusOf(app)).toMatchObject({ retried: 2, deadLettered: 1, handled: 0 });
  });

  it('keeps a pending retry across a restart: stop() drains at once, and the next app handles the copy as attempt 2', async () => {
    const topic = uniqueName('kafka-retry-topic-restart');
    const groupId = uniqueName('kafka-retry-topic-restart-group');
    await createRetryTopics(topic, 1);
    const calls: HandlerCall[] = [];
    const consumer = {
      topic,
      groupId,
      retryMode: 'retry-topic' as const,
      // delayAfter(1) is 2–4 s: long enough to restart the app meanwhile.
      retry: { maxAttempts: 3, initialDelayMs: 4_000 },
    };
    const behaviour = recording(
      calls,
      (reference, attempt) => reference === 'later' && attempt === 1,
    );
    const first = await startRetryApp(consumer, behaviour, 'controller');
    await producePayments(topic, [
      { reference: 'later', key: 'k' },
      { reference: 'next', key: 'k' },
    ]);
    await waitUntil(
      () => callsOf(calls, 'next').length === 1,
      20_000,
      () => `next handled (calls: ${JSON.stringify(calls)})`,
    );
    // The original is committed past: its copy is stored.
    await waitCommitted(groupId, topic, 0, 2);
    const stopStarted = Date.now();
    await first.close();
    // The copy waiting for its due time does not hold up the shutdown.
    expect(Date.now() - stopStarted).toBeLessThan(2_000);
    expect(callsOf(calls, 'later')).toHaveLength(1);

    const second = await startRetryApp(consumer, behaviour, 'provider');
    apps.push(second);
    await waitUntil(
      () => callsOf(calls, 'later').length === 2,
      20_000,
      () => `later retried after the restart (calls: ${JSON.stringify(calls)})`,
    );
    const [failed, retried] = callsOf(calls, 'later');
    expect(retried.attempt).toBe(2);
    expect(retried.at - failed.at).toBeGreaterThanOrEqual(1_950);
    await waitCommitted(groupId, `${topic}.retry`, 0, 1);
    await sleep(300);
    // Nothing lost, nothing handled twice.
    expect(calls.map((call) => `${call.reference}#${call.attempt}`).sort()).toEqual([
      'later#1',
      'later#2',
      'next#1',
    ]);
  });
});
