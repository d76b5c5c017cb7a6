import type { TestingModule } from '@nestjs/testing';
import { EventType, InstructionType, MessageBusMessage } from 'nestjs-message-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  committedOffsets,
  createTopics,
  payment,
  producePayments,
  produceRaw,
  readRecords,
  SERVICE_TOKEN,
  sleep,
  startBusApp,
  statusOf,
  uniqueName,
  waitUntil,
  type HandlerCall,
  type ReadRecord,
} from './kafka-runtime-kit';

interface Call extends HandlerCall {
  readonly ok: boolean;
}

const topic = uniqueName('kafka-dlq');
const groupId = uniqueName('kafka-dlq-group');
const calls: Call[] = [];
let app: TestingModule;

const callsOf = (reference: string): Call[] => calls.filter((call) => call.reference === reference);
const handled = (reference: string): Call | undefined => callsOf(reference).find((call) => call.ok);
const dlqWithKey = (records: ReadRecord[], key: string): ReadRecord[] =>
  records
    .filter((record) => record.key === key)
    .sort(
      (a, b) => Number(a.headers['bus-original-offset']) - Number(b.headers['bus-original-offset']),
    );

async function waitHandled(reference: string): Promise<Call> {
  await waitUntil(
    () => handled(reference) !== undefined,
    20_000,
    () => `${reference} handled (calls: ${JSON.stringify(callsOf(reference))})`,
  );
  return handled(reference) as Call;
}

async function waitCommittedPast(call: Call): Promise<void> {
  let committed = -1;
  const deadline = Date.now() + 10_000;
  while (committed <= call.offset) {
    if (Date.now() > deadline)
      throw new Error(
        `offset ${call.offset} of partition ${call.partition} not committed (at ${committed})`,
      );
    committed = (await committedOffsets(groupId, topic)).get(call.partition) ?? -1;
    if (committed <= call.offset) await sleep(100);
  }
}

describe('KafkaConsumer: retries and dead letters', () => {
  beforeAll(async () => {
    await createTopics(topic, 3);
    app = await startBusApp({
      consumer: { topic, groupId, retry: { maxAttempts: 3, initialDelayMs: 200, multiplier: 4 } },
      behaviour: (payload, context) => {
        const reference = payload.reference;
        const delivery = context.getDelivery();
        const attempt = context.getAttempt();
        const ok = reference.startsWith('ok-') || (reference.startsWith('flaky-') && attempt >= 3);
        calls.push({
          reference,
          attempt,
          at: Date.now(),
          partition: delivery.partition as number,
          offset: Number(delivery.offset),
          ok,
        });
        if (!ok)
          throw new Error(reference.startsWith('always-') ? 'always fails' : 'fails for now');
      },
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it('dead-letters poison and invalid messages at once, with their key, bytes and headers, and the partition moves on', async () => {
    const key = 'poison-key';
    const notJson = Buffer.from([0xff, 0x00, 0x7b, 0x6e, 0x6f, 0x74]);
    const invalid = JSON.stringify({
      meta_data: { source: 'BANKING_SERVICE', instruction_type: 'PAYMENT' },
      payload: { currency: 'EUR' },
    });
    const unknownType = payment('unknown').serialize().replace('"PAYMENT"', '"NO_SUCH_TYPE"');
    // An instruction nobody handles is dead-lettered; an event nobody handles is committed.
    const noHandler = MessageBusMessage.create({
      source: 'LEDGER_SERVICE',
      instructionType: InstructionType.STATUS_UPDATE,
      serviceToken: SERVICE_TOKEN,
      payload: { reference: 'R-1', status: 'COMPLETED' },
    }).serialize();
    const ignoredEvent = MessageBusMessage.create({
      source: 'LEDGER_SERVICE',
      event: EventType.TRANSACTION_STATUS_UPDATE,
      serviceToken: SERVICE_TOKEN,
      payload: { reference: 'R-1', status: 'COMPLETED' },
    }).serialize();
    await produceRaw(topic, [
      { key, value: notJson, headers: { 'trace-id': 'trace-1' } },
      { key, value: invalid, headers: { 'trace-id': 'trace-2' } },
      { key, value: unknownType },
      { key, value: noHandler },
      { key, value: ignoredEvent },
      { key, value: payment('ok-after-poison').serialize() },
    ]);

    const after = await waitHandled('ok-after-poison');
    const records = dlqWithKey(await readRecords(`${topic}.dlq`, 4), key);

    expect(records.map((record) => record.headers['bus-reason'].split(':')[0])).toEqual([
      'invalid-message',
      'invalid-message',
      'unknown-type',
      'no-handler',
    ]);
    expect(records.map((record) => Number(record.headers['bus-original-offset']))).toEqual([
      after.offset - 5,
      after.offset - 4,
      after.offset - 3,
      after.offset - 2,
    ]);
    expect(records[0].value).toEqual(notJson);
    expect(records[1].value?.toString()).toBe(invalid);
    expect(records[3].value?.toString()).toBe(noHandler);
    for (const record of records) {
      expect(record.headers).toMatchObject({
        'bus-original-topic': topic,
        'bus-original-partition': String(after.partition),
        'bus-consumer-group': groupId,
        'bus-attempts': '1',
      });
      expect(new Date(record.headers['bus-failed-at']).getTime()).toBeGreaterThan(
        Date.now() - 60_000,
      );
    }
    expect(records[0].headers['trace-id']).toBe('trace-1');
    expect(records[1].headers['trace-id']).toBe('trace-2');
    // Why, but never the values: the reason names fields, not what they held.
    expect(records[1].headers['bus-reason']).toMatch(/payload/);
    expect(records[1].headers['bus-reason']).not.toContain('EUR');
    await waitCommittedPast(after);
  });

  it('retries a handler that fails twice with growing delays, then commits it once', async () => {
    await producePayments(topic, [{ reference: 'flaky-1', key: 'flaky' }]);

    const success = await waitHandled('flaky-1');
    await waitCommittedPast(success);
    await sleep(500);

    const attempts = callsOf('flaky-1');
    expect(attempts.map((call) => [call.attempt, call.ok])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(new Set(attempts.map((call) => call.offset)).size).toBe(1);
    const [first, second] = [attempts[1].at - attempts[0].at, attempts[2].at - attempts[1].at];
    // delayAfter(1) is 100–200 ms and delayAfter(2) 400–800 ms (exponential, upper half
    // jittered); the message comes back with the first fetch after the delay, within
    // maxWaitTimeMs (100 ms here), so the two ranges cannot overlap.
    expect(first).toBeGreaterThanOrEqual(95);
    expect(first).toBeLessThan(600);
    expect(second).toBeGreaterThanOrEqual(395);
    expect(second).toBeGreaterThan(first);
  });

  it('dead-letters a message that always fails after maxAttempts, and moves on to the next one of its partition', async () => {
    await producePayments(topic, [
      { reference: 'always-1', key: 'always' },
      { reference: 'ok-after-always', key: 'always' },
    ]);

    const after = await waitHandled('ok-after-always');
    const failing = callsOf('always-1');
    expect(failing.map((call) => call.attempt)).toEqual([1, 2, 3]);
    expect(
      failing.every(
        (call) => call.offset === after.offset - 1 && call.partition === after.partition,
      ),
    ).toBe(true);
    expect(after.at).toBeGreaterThan(failing[2].at);

    const [record] = dlqWithKey(await readRecords(`${topic}.dlq`, 5), 'always');
    expect(record.headers).toMatchObject({
      'bus-reason': 'handler-error: Error: always fails',
      'bus-original-topic': topic,
      'bus-original-partition': String(after.partition),
      'bus-original-offset': String(after.offset - 1),
      'bus-attempts': '3',
    });
    expect(record.value?.toString()).toContain('"reference": "always-1"');
    await waitCommittedPast(after);
  });

  it('reports what it did through ConsumerOrchestrator.statuses()', async () => {
    expect(statusOf(app)).toEqual({
      name: `kafka:${topic} (${groupId})`,
      state: 'running',
      inFlight: 0,
      handled: 4,
      retried: 4,
      deadLettered: 5,
    });
  });
});
