import type { TestingModule } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  committedOffsets,
  createTopics,
  producePayments,
  sleep,
  startBusApp,
  uniqueName,
  waitUntil,
  type HandlerCall,
} from './kafka-runtime-kit';

type Call = HandlerCall;

const topic = uniqueName('kafka-retry-isolation');
const groupId = uniqueName('kafka-retry-isolation-group');
const calls: Call[] = [];
let app: TestingModule;

describe('KafkaConsumer: a message waiting for its retry holds up its own partition only', () => {
  beforeAll(async () => {
    await createTopics(topic, 3);
    app = await startBusApp({
      // delayAfter(1) is 1.5–3 s: long enough to see what happens meanwhile.
      consumer: { topic, groupId, retry: { maxAttempts: 2, initialDelayMs: 3_000 } },
      behaviour: (payload, context) => {
        const delivery = context.getDelivery();
        calls.push({
          reference: payload.reference,
          attempt: context.getAttempt(),
          at: Date.now(),
          partition: delivery.partition as number,
          offset: Number(delivery.offset),
        });
        if (payload.reference === 'stuck' && context.getAttempt() === 1)
          throw new Error('fails once');
      },
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('keeps handling the other partitions during the backoff, and the failed message partition in order after it', async () => {
    await producePayments(topic, [{ reference: 'stuck', key: 'stuck-key' }]);
    await waitUntil(
      () => calls.some((call) => call.reference === 'stuck'),
      20_000,
      () => 'first attempt of stuck',
    );
    const failedAt = calls.find((call) => call.reference === 'stuck') as Call;

    // 30 keys spread over the 3 partitions, plus followers on the waiting message's own key.
    const others = Array.from({ length: 30 }, (_, index) => ({
      reference: `other-${index}`,
      key: `other-key-${index}`,
    }));
    const followers = Array.from({ length: 3 }, (_, index) => ({
      reference: `follower-${index}`,
      key: 'stuck-key',
    }));
    await producePayments(topic, [...others, ...followers]);
    await waitUntil(
      () => calls.filter((call) => call.reference !== 'stuck').length >= 33,
      20_000,
      () => `every message handled (calls: ${calls.length})`,
    );

    const retry = calls.find((call) => call.reference === 'stuck' && call.attempt === 2);
    expect(retry, 'stuck was retried').toBeDefined();
    const retriedAt = (retry as Call).at;
    expect(retriedAt - failedAt.at).toBeGreaterThanOrEqual(1_450);

    const onOtherPartitions = calls.filter(
      (call) => call.reference.startsWith('other-') && call.partition !== failedAt.partition,
    );
    expect(onOtherPartitions.length).toBeGreaterThan(0);
    // Every one of them was handled while stuck waited for its retry.
    expect(onOtherPartitions.every((call) => call.at < retriedAt)).toBe(true);

    // Its own partition waited: nothing after stuck ran before its retry, and all ran in order.
    const ownPartition = calls.filter(
      (call) => call.partition === failedAt.partition && call.offset > failedAt.offset,
    );
    expect(ownPartition.map((call) => call.reference)).toContain('follower-2');
    expect(ownPartition.every((call) => call.at >= retriedAt)).toBe(true);
    const offsets = ownPartition.map((call) => call.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(new Set(offsets).size).toBe(offsets.length);

    // Everything is committed in the end, and nothing was handled twice but stuck.
    const last = Math.max(...ownPartition.map((call) => call.offset));
    let committed = -1;
    for (let tries = 0; tries < 50 && committed !== last + 1; tries += 1) {
      if (tries > 0) await sleep(100);
      committed = (await committedOffsets(groupId, topic)).get(failedAt.partition) ?? -1;
    }
    expect(committed).toBe(last + 1);
    const references = calls.map((call) => call.reference);
    expect(references.length - new Set(references).size).toBe(1);
  });
});
