import { describe, expect, it } from 'vitest';
import { KafkaReceiptHandleError } from '../../../../lib/transports/kafka/errors/kafka-receipt-handle.error';
import {
  KafkaCommitNotConfirmed,
  KafkaPullConsumer,
} from '../../../../lib/transports/kafka/kafka-pull-consumer';
import { FakeKafkaConsumer } from './kafka-fakes';

const TOPIC = 'payments';

async function started(
  bufferSize = 4,
  partitions = [0],
): Promise<{ fake: FakeKafkaConsumer; consumer: KafkaPullConsumer }> {
  const fake = new FakeKafkaConsumer(TOPIC);
  fake.onRun = { join: partitions };
  const consumer = new KafkaPullConsumer(fake.asConsumer(), TOPIC, 'group', bufferSize);
  await consumer.start();
  return { fake, consumer };
}

async function offsetsReceived(consumer: KafkaPullConsumer, count: number): Promise<string[]> {
  const offsets: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const record = await consumer.receive(0);
    if (!record) break;
    offsets.push(`${record.partition}:${record.offset}`);
  }
  return offsets;
}

describe('KafkaPullConsumer start', () => {
  it('subscribes from the earliest offset and runs without auto-commit or auto-resolve', async () => {
    const { fake } = await started();
    expect(fake.subscribed).toEqual({ topics: [TOPIC], fromBeginning: true });
    expect(fake.runConfig).toMatchObject({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
    });
  });

  it('fails at once when the first join crashes for good, with the crash error', async () => {
    const fake = new FakeKafkaConsumer(TOPIC);
    const crash = new Error('not authorized');
    fake.onRun = { crash, restart: false };
    const consumer = new KafkaPullConsumer(fake.asConsumer(), TOPIC, 'group', 4);
    await expect(consumer.start()).rejects.toBe(crash);
    expect(consumer.failed).toBe(crash);
  });

  it('waits for kafkajs to retry a first join that crashed with a retriable error', async () => {
    const fake = new FakeKafkaConsumer(TOPIC);
    fake.onRun = { crash: new Error('the coordinator is loading'), restart: true };
    const consumer = new KafkaPullConsumer(fake.asConsumer(), TOPIC, 'group', 4);
    const starting = consumer.start();
    setTimeout(() => fake.join([0]), 20); // kafkajs's restart, a little later

    await expect(starting).resolves.toBeUndefined();
    expect(consumer.failed).toBeUndefined();
    await fake.fetch(0, 1);
    expect(await offsetsReceived(consumer, 1)).toEqual(['0:0']);
  });

  it('fails when kafkajs gives up on the retried first join', async () => {
    const fake = new FakeKafkaConsumer(TOPIC);
    fake.onRun = { crash: new Error('the coordinator is loading'), restart: true };
    const consumer = new KafkaPullConsumer(fake.asConsumer(), TOPIC, 'group', 4);
    const starting = consumer.start();
    const final = new Error('gave up');
    setTimeout(
      () => fake.emit('consumer.crash', { error: final, restart: false, groupId: 'g' }),
      20,
    );

    await expect(starting).rejects.toBe(final);
  });
});

describe('KafkaPullConsumer receive', () => {
  it('hands records out one at a time, in offset order', async () => {
    const { fake, consumer } = await started();
    await fake.fetch(0, 3);
    expect(await offsetsReceived(consumer, 5)).toEqual(['0:0', '0:1', '0:2']);
    expect(await consumer.receive(10)).toBeNull();
  });

  it('wakes a waiting receive when a batch arrives', async () => {
    const { fake, consumer } = await started();
    const waiting = consumer.receive(5_000);
    await fake.fetch(0, 1);
    expect((await waiting)?.offset).toBe('0');
  });

  it('wakes a waiting receive when a batch fills the buffer', async () => {
    const { fake, consumer } = await started(2);
    const waiting = consumer.receive(5_000);
    await fake.fetch(0, 10);
    expect((await waiting)?.offset).toBe('0');
    expect(await offsetsReceived(consumer, 5)).toEqual(['0:1']);
  });

  it('resolves null when the wait is aborted', async () => {
    const { consumer } = await started();
    const controller = new AbortController();
    const waiting = consumer.receive(5_000, controller.signal);
    controller.abort();
    expect(await waiting).toBeNull();
  });

  it('pauses a partition when the buffer is full and skips nothing once resumed', async () => {
    const { fake, consumer } = await started(4);
    expect(await fake.fetch(0, 10)).toHaveLength(10);
    // Only what fitted is resolved: kafkajs will fetch from offset 4 again.
    expect(fake.position.get(0)).toBe(4);
    expect(fake.paused.has(0)).toBe(true);
    expect(await fake.fetch(0, 10)).toEqual([]);

    const received = await offsetsReceived(consumer, 2);
    // Drained to half: resumed.
    expect(fake.paused.has(0)).toBe(false);
    await fake.fetch(0, 10);
    received.push(...(await offsetsReceived(consumer, 20)));
    await fake.fetch(0, 10);
    received.push(...(await offsetsReceived(consumer, 20)));
    expect(received).toEqual(Array.from({ length: 10 }, (_, offset) => `0:${offset}`));
  });

  it('interleaves partitions but keeps each in order', async () => {
    const { fake, consumer } = await started(8, [0, 1]);
    await fake.fetch(0, 2);
    await fake.fetch(1, 2);
    await fake.fetch(0, 3);
    expect(await offsetsReceived(consumer, 10)).toEqual(['0:0', '0:1', '1:0', '1:1', '0:2']);
  });
});

describe('KafkaPullConsumer commit', () => {
  it('commits offset + 1 of a record it handed out', async () => {
    const { fake, consumer } = await started();
    await fake.fetch(0, 3);
    await offsetsReceived(consumer, 2);
    await consumer.commit(0, '1', 'payments:0:1');
    expect(fake.commits).toEqual([{ topic: TOPIC, partition: 0, offset: '2' }]);
  });

  it('refuses a record not handed out yet, so it never commits past the buffer', async () => {
    const { fake, consumer } = await started();
    await fake.fetch(0, 3);
    await offsetsReceived(consumer, 1);
    await expect(consumer.commit(0, '2', 'payments:0:2')).rejects.toMatchObject({
      name: 'KafkaReceiptHandleError',
      problem: 'not-delivered',
    });
    await expect(consumer.commit(1, '0', 'payments:1:0')).rejects.toBeInstanceOf(
      KafkaReceiptHandleError,
    );
    expect(fake.commits).toEqual([]);
  });

  it('never moves a partition backwards', async () => {
    const { fake, consumer } = await started();
    await fake.fetch(0, 3);
    await offsetsReceived(consumer, 3);
    await consumer.commit(0, '2', 'payments:0:2');
    await consumer.commit(0, '0', 'payments:0:0');
    expect(fake.commits.map((commit) => commit.offset)).toEqual(['3']);
  });

  it('serialises concurrent commits, so a later one is never overtaken', async () => {
    const { fake, consumer } = await started();
    fake.commitDelayMs = 20;
    await fake.fetch(0, 3);
    await offsetsReceived(consumer, 3);
    await Promise.all([
      consumer.commit(0, '2', 'payments:0:2'),
      consumer.commit(0, '0', 'payments:0:0'),
    ]);
    expect(fake.commits.map((commit) => commit.offset)).toEqual(['3']);
  });

  it('throws when kafkajs returned without committing', async () => {
    const { fake, consumer } = await started();
    fake.confirmCommits = false;
    await fake.fetch(0, 1);
    await offsetsReceived(consumer, 1);
    await expect(consumer.commit(0, '0', 'payments:0:0')).rejects.toBeInstanceOf(
      KafkaCommitNotConfirmed,
    );
  });

  it('passes the coordinator refusal through', async () => {
    const { fake, consumer } = await started();
    fake.commitFailure = new Error('REBALANCE_IN_PROGRESS');
    await fake.fetch(0, 1);
    await offsetsReceived(consumer, 1);
    await expect(consumer.commit(0, '0', 'payments:0:0')).rejects.toBe(fake.commitFailure);
  });
});

describe('KafkaPullConsumer across rebalances', () => {
  it('drops the buffer and redelivers from the committed offset after a rejoin', async () => {
    const { fake, consumer } = await started(4);
    await fake.fetch(0, 10);
    await offsetsReceived(consumer, 2);
    await consumer.commit(0, '0', 'payments:0:0');

    fake.join([0]);
    expect(consumer.buffered).toBe(0);
    // Handed out before the rebalance and not committed: not committable now, delivered again.
    await expect(consumer.commit(0, '1', 'payments:0:1')).rejects.toMatchObject({
      problem: 'not-delivered',
    });
    expect(fake.resumed).toContainEqual([{ topic: TOPIC }]);
    await fake.fetch(0, 10);
    expect(await offsetsReceived(consumer, 2)).toEqual(['0:1', '0:2']);
  });

  it('refuses handles of a partition no longer assigned here', async () => {
    const { fake, consumer } = await started(4, [0, 1]);
    await fake.fetch(0, 1);
    await offsetsReceived(consumer, 1);
    fake.join([1]);
    await fake.fetch(0, 1);
    expect(consumer.hasDelivered(0, '0')).toBe(false);
    await expect(consumer.commit(0, '0', 'payments:0:0')).rejects.toBeInstanceOf(
      KafkaReceiptHandleError,
    );
  });

  it('forgets the generation on a rebalance notice, before the rejoin', async () => {
    const { fake, consumer } = await started(4);
    await fake.fetch(0, 2);
    await offsetsReceived(consumer, 1);
    fake.emit(fake.events.REBALANCING, { groupId: 'group', memberId: 'm' });
    expect(consumer.buffered).toBe(0);
    expect(consumer.hasDelivered(0, '0')).toBe(false);
  });

  it('fails waiting and later receives when kafkajs gives up for good', async () => {
    const { fake, consumer } = await started();
    const waiting = consumer.receive(5_000);
    const crash = new Error('not retriable');
    fake.emit(fake.events.CRASH, { error: crash, restart: false, groupId: 'group' });
    await expect(waiting).rejects.toBe(crash);
    await expect(consumer.receive(0)).rejects.toBe(crash);
    expect(consumer.failed).toBe(crash);
  });

  it('keeps waiting across a crash kafkajs restarts from', async () => {
    const { fake, consumer } = await started();
    const waiting = consumer.receive(5_000);
    fake.emit(fake.events.CRASH, {
      error: new Error('connection lost'),
      restart: true,
      groupId: 'group',
    });
    fake.join([0]);
    await fake.fetch(0, 1);
    expect((await waiting)?.offset).toBe('0');
  });
});

describe('KafkaPullConsumer close', () => {
  it('disconnects without committing, resolves waiting receives with null and buffers nothing more', async () => {
    const { fake, consumer } = await started();
    const waiting = consumer.receive(5_000);
    await consumer.close();
    expect(await waiting).toBeNull();
    expect(fake.disconnects).toBe(1);
    expect(fake.commits).toEqual([]);
    await fake.fetch(0, 3);
    expect(consumer.buffered).toBe(0);
    expect(await consumer.receive(0)).toBeNull();
    await consumer.close();
    expect(fake.disconnects).toBe(1);
  });
});
