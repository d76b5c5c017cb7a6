import { DEFAULT_UNHANDLED_POLICY } from '../../../../lib/dispatch/unhandled-policy';
import { Logger } from '@nestjs/common';
import type { Message, PartitionAssigner } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DispatchOutcome } from '../../../../lib/dispatch/delivery-outcome';
import { RetryPolicy } from '../../../../lib/dispatch/retry-policy';
import { MessageBusError } from '../../../../lib/errors/message-bus.error';
import type { ResolvedKafkaConsumer } from '../../../../lib/options/resolved-options';
import type { InboundDelivery } from '../../../../lib/dispatch/inbound-delivery.interface';
import type { KafkaClient } from '../../../../lib/transports/kafka/kafka.client';
import { KafkaConsumer } from '../../../../lib/transports/kafka/kafka.consumer';
import {
  failed,
  fakeBatchPayload,
  FakeKafkaConsumer,
  handled,
  kafkaMessage,
  rejected,
  settle,
} from './kafka-consumer-fakes';

const subscription: ResolvedKafkaConsumer = {
  topic: 'payments',
  groupId: 'payments_consumer_group',
  deadLetterTopic: 'payments.dlq',
  retry: new RetryPolicy({ maxAttempts: 3, initialDelayMs: 60_000 }),
  partitionsConcurrency: 4,
  members: 1,
  unhandled: DEFAULT_UNHANDLED_POLICY,
  fromBeginning: true,
};

function setup(
  outcome: (delivery: InboundDelivery) => Promise<DispatchOutcome> = async () => handled(),
  configure: (fake: FakeKafkaConsumer) => void = () => undefined,
  resolved: ResolvedKafkaConsumer = subscription,
) {
  let fake!: FakeKafkaConsumer;
  const sent: Array<{ topic: string; acks?: number; messages: Message[] }> = [];
  const client = {
    settings: {
      brokers: ['b:9092'],
      securityProtocol: 'PLAINTEXT',
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 1_000,
      maxWaitTimeMs: 100,
      partitionAssigners: ['range', 'roundrobin', 'kafkajs-roundrobin'],
    },
    createKafka: vi.fn(() => ({
      consumer: (config: Record<string, unknown>) => {
        fake = new FakeKafkaConsumer(config);
        configure(fake);
        return fake;
      },
    })),
    producer: vi.fn(async () => ({
      send: async (record: { topic: string; acks?: number; messages: Message[] }) =>
        void sent.push(record),
    })),
  } as unknown as KafkaClient;
  const handler = vi.fn(outcome);
  const consumer = new KafkaConsumer(client, resolved, handler);
  return { consumer, client, handler, sent, fake: () => fake };
}

/** The protocol names the consumer offers its group, in order. */
function assignerNames(fake: FakeKafkaConsumer): string[] {
  const assigners = fake.config.partitionAssigners as PartitionAssigner[];
  return assigners.map(
    (assigner) => assigner({ cluster: {} as never, groupId: 'g', logger: {} as never }).name,
  );
}

describe('KafkaConsumer', () => {
  const logs = { log: vi.fn(), warn: vi.fn(), error: vi.fn() };

  beforeEach(() => {
    vi.spyOn(Logger.prototype, 'log').mockImplementation(logs.log);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation(logs.warn);
    vi.spyOn(Logger.prototype, 'error').mockImplementation(logs.error);
  });

  afterEach(() => {
    vi.restoreAllMocks();
    for (const log of Object.values(logs)) log.mockReset();
  });

  it('joins one group for its topic with batches, no auto-commit and no auto-resolve, and reports running', async () => {
    const { consumer, fake } = setup();
    expect(consumer.status().state).toBe('starting');

    await consumer.start();

    expect(fake().config).toMatchObject({
      groupId: 'payments_consumer_group',
      sessionTimeout: 6_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 100,
    });
    expect(fake().subscribed).toEqual({ topics: ['payments'], fromBeginning: true });
    expect(assignerNames(fake())).toEqual(['range', 'roundrobin', 'RoundRobinAssigner']);
    expect(fake().runConfig).toMatchObject({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 4,
    });
    expect(consumer.status()).toEqual({
      name: 'kafka:payments (payments_consumer_group)',
      state: 'running',
      inFlight: 0,
      handled: 0,
      retried: 0,
      deadLettered: 0,
    });
    expect(logs.log).toHaveBeenCalledWith(
      'Kafka consumer of payments joined group payments_consumer_group: partitions 0, 1',
    );
  });

  it("offers its own partitionAssigners, in its order, over the client's", async () => {
    const { consumer, fake } = setup(undefined, undefined, {
      ...subscription,
      partitionAssigners: ['roundrobin', 'range'],
    });
    await consumer.start();
    expect(assignerNames(fake())).toEqual(['roundrobin', 'range']);
    await consumer.stop(0);
  });

  it('refuses a dead-letter topic that is the consumed topic itself', () => {
    const client = { settings: {} } as unknown as KafkaClient;
    expect(
      () => new KafkaConsumer(client, { ...subscription, deadLetterTopic: 'payments' }, vi.fn()),
    ).toThrow(/consumers\.kafka deadLetterTopic of topic payments is the consumed topic itself/);
  });

  it('refuses a second start()', async () => {
    const { consumer } = setup();
    await consumer.start();
    expect(() => consumer.start()).toThrow(MessageBusError);
  });

  it('says reconnecting, with the error, while kafkajs restarts it, and running again once it rejoins', async () => {
    const { consumer, fake } = setup();
    await consumer.start();

    fake().crash(
      Object.assign(new Error('Connection error: connect ECONNREFUSED'), {
        name: 'KafkaJSConnectionError',
      }),
      true,
    );
    expect(consumer.status()).toMatchObject({
      state: 'reconnecting',
      lastError: expect.stringMatching(
        /KafkaConnectionError: Could not connect to Kafka at b:9092/,
      ),
    });
    expect(logs.warn).toHaveBeenCalledWith(
      expect.stringMatching(/crashed and kafkajs is restarting it/),
    );

    fake().join([1]);
    expect(consumer.status().state).toBe('running');
    expect(consumer.status()).not.toHaveProperty('lastError');
    expect(logs.log).toHaveBeenCalledWith(
      'Kafka consumer of payments rejoined group payments_consumer_group: partitions 1',
    );
  });

  it('says failed, and logs an error, when kafkajs gives up for good', async () => {
    const { consumer, fake } = setup();
    await consumer.start();

    fake().crash(
      Object.assign(new Error('Not authorized to access group'), {
        name: 'KafkaJSProtocolError',
        type: 'GROUP_AUTHORIZATION_FAILED',
      }),
      false,
    );

    expect(consumer.status()).toMatchObject({
      state: 'failed',
      lastError: expect.stringMatching(/KafkaConsumerError: .*GROUP_AUTHORIZATION_FAILED/),
    });
    expect(logs.error).toHaveBeenCalledWith(
      expect.stringMatching(/stopped for good and consumes nothing until the app restarts/),
    );
  });

  it('fails start() when the first join fails for good, and when it cannot connect with startup fail-fast', async () => {
    const joinFails = setup(undefined, (fake) => {
      fake.onRun = () =>
        fake.crash(
          Object.assign(new Error('denied'), { type: 'GROUP_AUTHORIZATION_FAILED' }),
          false,
        );
    });
    await expect(joinFails.consumer.start()).rejects.toThrow(
      /Kafka consumer of topic payments in group payments_consumer_group failed with GROUP_AUTHORIZATION_FAILED/,
    );
    expect(joinFails.consumer.status().state).toBe('failed');
    expect(joinFails.fake().disconnect).toHaveBeenCalled();

    const cannotConnect = setup(
      undefined,
      (fake) => {
        fake.connect.mockRejectedValue(
          Object.assign(new Error('connect ECONNREFUSED'), { name: 'KafkaJSConnectionError' }),
        );
      },
      { ...subscription, startup: 'fail-fast' },
    );
    await expect(cannotConnect.consumer.start()).rejects.toThrow(
      /Could not connect to Kafka at b:9092/,
    );
  });

  it('starts reconnecting, not failing, when kafkajs will retry the first join', async () => {
    const { consumer } = setup(undefined, (fake) => {
      fake.onRun = () =>
        fake.crash(
          Object.assign(new Error('The coordinator is loading'), {
            type: 'COORDINATOR_LOAD_IN_PROGRESS',
            retriable: true,
          }),
          true,
        );
    });

    await expect(consumer.start()).resolves.toBeUndefined();
    expect(consumer.status().state).toBe('reconnecting');
  });

  it('hands each record to the handler and commits after it, dead-lettering what is refused', async () => {
    const outcomes = [handled(), rejected(), handled()];
    const { consumer, fake, handler, sent } = setup(async () => outcomes.shift() ?? handled());
    await consumer.start();
    const { payload, log } = fakeBatchPayload([
      kafkaMessage('0'),
      kafkaMessage('1', 'not json'),
      kafkaMessage('2'),
    ]);

    await fake().eachBatch(payload);

    expect(handler.mock.calls.map(([delivery]) => delivery.offset)).toEqual(['0', '1', '2']);
    expect(log).toEqual(['resolve 2', 'commit 3']);
    expect(sent).toEqual([
      {
        topic: 'payments.dlq',
        acks: -1,
        messages: [expect.objectContaining({ value: Buffer.from('not json') })],
      },
    ]);
    expect(consumer.status()).toMatchObject({ handled: 2, deadLettered: 1, inFlight: 0 });
  });

  it('on stop, stops fetching, lets the message in progress finish, commits it and leaves the group', async () => {
    let finish!: (outcome: DispatchOutcome) => void;
    const { consumer, fake } = setup(() => new Promise((resolve) => (finish = resolve)));
    await consumer.start();
    const { payload, log } = fakeBatchPayload([kafkaMessage('0'), kafkaMessage('1')]);
    const batch = fake().eachBatch(payload);
    await settle();

    const stopping = consumer.stop(5_000);
    await settle();
    expect(consumer.status()).toMatchObject({ state: 'stopping', inFlight: 1 });
    expect(fake().pause).toHaveBeenCalledWith([{ topic: 'payments' }]);
    expect(fake().disconnect).not.toHaveBeenCalled();

    finish(handled());
    await stopping;
    await batch;
    expect(log).toEqual(['resolve 0', 'commit 1']);
    expect(fake().disconnect).toHaveBeenCalledTimes(1);
    expect(consumer.status()).toMatchObject({ state: 'stopped', handled: 1 });
    await expect(consumer.stop(5_000)).resolves.toBeUndefined();
  });

  it('on stop, gives up on a handler that outlasts the timeout and leaves it uncommitted', async () => {
    const { consumer, fake } = setup(() => new Promise(() => undefined));
    await consumer.start();
    const { payload, log } = fakeBatchPayload([kafkaMessage('0')]);
    const batch = fake().eachBatch(payload);
    await settle();

    const started = Date.now();
    await consumer.stop(50);

    expect(Date.now() - started).toBeLessThan(2_000);
    await batch;
    expect(log).toEqual([]);
    expect(fake().disconnect).toHaveBeenCalled();
    expect(logs.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /1 message\(s\) still in progress after 50 ms of shutdown are left uncommitted/,
      ),
    );
  });

  it('waits out a retry with its partition paused, outside the batch, so kafkajs can fetch the other partitions', async () => {
    const { consumer, fake, handler } = setup(async () => failed());
    await consumer.start();
    const { payload, log } = fakeBatchPayload([kafkaMessage('0'), kafkaMessage('1')], {
      partition: 1,
    });

    await fake().eachBatch(payload);

    expect(handler).toHaveBeenCalledTimes(1);
    expect(consumer.status().retried).toBe(1);
    expect(payload.pause).toHaveBeenCalledTimes(1);
    expect(log).toEqual([]);
    expect(fake().resume).not.toHaveBeenCalled();
  });

  it('on a rebalance, resumes the partitions it lost while they waited for a retry, and keeps the waits of the others', async () => {
    const { consumer, fake } = setup(async () => failed());
    await consumer.start();
    await fake().eachBatch(fakeBatchPayload([kafkaMessage('0')], { partition: 0 }).payload);
    await fake().eachBatch(fakeBatchPayload([kafkaMessage('5')], { partition: 1 }).payload);

    fake().join([1]);

    expect(fake().resume).toHaveBeenCalledTimes(1);
    expect(fake().resume).toHaveBeenCalledWith([{ topic: 'payments', partitions: [0] }]);
  });

  it('on stop, drops the retry waits and leaves their messages uncommitted', async () => {
    const { consumer, fake, handler } = setup(async () => failed());
    await consumer.start();
    const { payload, log } = fakeBatchPayload([kafkaMessage('0'), kafkaMessage('1')]);
    await fake().eachBatch(payload);
    expect(consumer.status().retried).toBe(1);

    const started = Date.now();
    await consumer.stop(30_000);

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(log).toEqual([]);
    expect(fake().resume).not.toHaveBeenCalled();
    expect(logs.log).toHaveBeenCalledWith(
      expect.stringMatching(
        /1 message\(s\) waiting for a retry are left uncommitted for redelivery/,
      ),
    );
  });

  it('after a crash, lets no batch of the old generation start', async () => {
    const { consumer, fake, handler } = setup();
    await consumer.start();
    fake().crash(new Error('gone'), true);
    const { payload, log } = fakeBatchPayload([kafkaMessage('0')]);

    await expect(fake().eachBatch(payload)).rejects.toThrow('gone');
    expect(handler).not.toHaveBeenCalled();
    expect(log).toEqual([]);

    fake().join([0]);
    const next = fakeBatchPayload([kafkaMessage('0')]);
    await fake().eachBatch(next.payload);
    expect(next.log).toEqual(['resolve 0', 'commit 1']);
  });
});
