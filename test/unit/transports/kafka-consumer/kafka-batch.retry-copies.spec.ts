import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it, vi } from 'vitest';
import { KafkaAbandonment } from '../../../../lib/transports/kafka/consumer/kafka-abandonment';
import { KafkaBatchProcessor } from '../../../../lib/transports/kafka/consumer/kafka-batch.processor';
import { KafkaGroupGeneration } from '../../../../lib/transports/kafka/consumer/kafka-group-generation';
import type { KafkaMessageSettlement } from '../../../../lib/transports/kafka/consumer/kafka-message.processor';
import {
  toKafkaRetryRecord,
  type KafkaRecordOrigin,
} from '../../../../lib/transports/kafka/consumer/kafka-retry-record';
import { KafkaRetryWaits } from '../../../../lib/transports/kafka/consumer/kafka-retry-waits';
import { fakeBatchPayload, kafkaMessage } from './kafka-consumer-fakes';

type Step = (attempt: number) => KafkaMessageSettlement;

function setup(steps: Record<string, Step>, inProcessRetryMaxMs = 0) {
  const calls: string[] = [];
  const messages = {
    process: vi.fn(
      async (
        _partition: number,
        message: KafkaMessage,
        _halt: AbortSignal,
        attempt = 1,
        _origin?: KafkaRecordOrigin,
      ) => {
        calls.push(`${message.offset}#${attempt}`);
        return steps[message.offset]?.(attempt) ?? 'settled';
      },
    ),
  };
  const retryWaits = new KafkaRetryWaits(() => undefined);
  const dueWaits = new KafkaRetryWaits(() => undefined);
  const processor = new KafkaBatchProcessor({
    topic: 'payments',
    groupId: 'g',
    messages,
    abandonment: new KafkaAbandonment(),
    retryWaits,
    inProcessRetryMaxMs,
    retryTopic: { topic: 'payments.retry', dueWaits },
    heartbeatIntervalMs: 60_000,
    commitIntervalMs: 60_000,
    logger: { log: vi.fn(), warn: vi.fn() },
  });
  return { processor, messages, calls, retryWaits, dueWaits };
}

const offsets = (...list: string[]): KafkaMessage[] => list.map((offset) => kafkaMessage(offset));
const copying =
  (result: 'settled' | { attempt: number; delayMs: number }): Step =>
  () => ({
    copying: Promise.resolve(result),
  });

describe('KafkaBatchProcessor, retry copies and in-process retries', () => {
  it('goes on past a message whose copy is being stored, and commits past it once stored', async () => {
    const { processor, calls } = setup({ '1': copying('settled') });
    const { payload, log } = fakeBatchPayload(offsets('0', '1', '2'));
    await processor.process(payload, new KafkaGroupGeneration());
    expect(calls).toEqual(['0#1', '1#1', '2#1']);
    expect(log).toEqual(['resolve 2', 'commit 3']);
  });

  it('commits only up to a message whose copy could not be stored, and waits out its retry in the partition', async () => {
    const { processor, retryWaits } = setup({ '1': copying({ attempt: 1, delayMs: 5_000 }) });
    const { payload, log } = fakeBatchPayload(offsets('0', '1', '2'));
    await processor.process(payload, new KafkaGroupGeneration());
    expect(log).toEqual(['resolve 0', 'commit 1']);
    expect(payload.pause).toHaveBeenCalled();
    expect(retryWaits.size).toBe(1);
    expect(retryWaits.attemptOf(0, '1')).toBe(2);
  });

  it('handles a short retry again in the batch, without pausing', async () => {
    const { processor, calls } = setup(
      { '0': (attempt) => (attempt === 1 ? { attempt, delayMs: 5 } : 'settled') },
      100,
    );
    const { payload, log } = fakeBatchPayload(offsets('0', '1'));
    await processor.process(payload, new KafkaGroupGeneration());
    expect(calls).toEqual(['0#1', '0#2', '1#1']);
    expect(payload.pause).not.toHaveBeenCalled();
    expect(log).toEqual(['resolve 1', 'commit 2']);
  });

  it('runs a due copy of its group as its next attempt and passes over the copies of other groups', async () => {
    const { processor, messages, calls } = setup({});
    const past = new Date(Date.now() - 1_000);
    const facts = {
      topic: 'payments',
      partition: 4,
      offset: '40',
      attempts: 2,
      reason: 'x',
      failedAt: past,
    };
    const ours = {
      ...kafkaMessage('0'),
      ...toKafkaRetryRecord(kafkaMessage('40'), { ...facts, groupId: 'g' }, past),
    };
    const theirs = {
      ...kafkaMessage('1'),
      ...toKafkaRetryRecord(kafkaMessage('41'), { ...facts, groupId: 'other' }, past),
    };
    const { payload, log } = fakeBatchPayload([ours, theirs] as KafkaMessage[], {
      topic: 'payments.retry',
    });
    await processor.process(payload, new KafkaGroupGeneration());
    expect(calls).toEqual(['0#3']);
    expect(messages.process.mock.calls[0][4]).toEqual({
      topic: 'payments',
      partition: 4,
      offset: '40',
    });
    expect(log).toEqual(['resolve 1', 'commit 2']);
  });

  it('pauses the retry-topic partition at a copy that is not due yet', async () => {
    const { processor, calls, dueWaits } = setup({});
    const later = new Date(Date.now() + 60_000);
    const copy = toKafkaRetryRecord(
      kafkaMessage('40'),
      {
        topic: 'payments',
        partition: 0,
        offset: '40',
        groupId: 'g',
        attempts: 1,
        reason: 'x',
        failedAt: new Date(),
      },
      later,
    );
    const { payload, log } = fakeBatchPayload(
      [{ ...kafkaMessage('0'), ...copy }] as KafkaMessage[],
      {
        topic: 'payments.retry',
      },
    );
    await processor.process(payload, new KafkaGroupGeneration());
    expect(calls).toEqual([]);
    expect(payload.pause).toHaveBeenCalled();
    expect(dueWaits.size).toBe(1);
    expect(log).toEqual([]);
    dueWaits.clear();
  });
});
