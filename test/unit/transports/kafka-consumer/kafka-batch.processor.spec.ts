import type { KafkaMessage } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KafkaAbandonment } from '../../../../lib/transports/kafka/consumer/kafka-abandonment';
import { KafkaBatchProcessor } from '../../../../lib/transports/kafka/consumer/kafka-batch.processor';
import { KafkaGroupGeneration } from '../../../../lib/transports/kafka/consumer/kafka-group-generation';
import type { KafkaMessageSettlement } from '../../../../lib/transports/kafka/consumer/kafka-message.processor';
import { KafkaRetryWaits } from '../../../../lib/transports/kafka/consumer/kafka-retry-waits';
import { useFakeClock } from '../../../support/fake-clock';
import { fakeBatchPayload, kafkaMessage, settle } from './kafka-consumer-fakes';

type Step = KafkaMessageSettlement | (() => Promise<KafkaMessageSettlement>);

function setup(
  steps: Record<string, Step> = {},
  options: { commitIntervalMs?: number; heartbeatIntervalMs?: number } = {},
) {
  const processed: string[] = [];
  const attempts: number[] = [];
  const messages = {
    process: vi.fn(
      async (_partition: number, message: KafkaMessage, _halt: AbortSignal, attempt = 1) => {
        processed.push(message.offset);
        attempts.push(attempt);
        const step = steps[message.offset] ?? 'settled';
        return typeof step === 'function' ? step() : step;
      },
    ),
  };
  const resumed: number[] = [];
  const retryWaits = new KafkaRetryWaits((partition) => resumed.push(partition));
  const logger = { log: vi.fn(), warn: vi.fn() };
  const abandonment = new KafkaAbandonment();
  const processor = new KafkaBatchProcessor({
    topic: 'payments',
    groupId: 'g',
    messages,
    abandonment,
    retryWaits,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 60_000,
    commitIntervalMs: options.commitIntervalMs ?? 60_000,
    logger,
  });
  return { processor, messages, processed, attempts, logger, abandonment, retryWaits, resumed };
}

const offsets = (...list: string[]): KafkaMessage[] => list.map((offset) => kafkaMessage(offset));
const rebalance = (): Error =>
  Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });

// The heartbeat, the retry wait and the commit interval run on the fake clock; `settle()`
// still waits for a real turn of the event loop, so immediates stay real.
describe('KafkaBatchProcessor', () => {
  beforeEach(() => useFakeClock());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('works through the messages in order, then resolves the last one and commits the next offset', async () => {
    const { processor, processed } = setup();
    const { payload, log } = fakeBatchPayload(offsets('5', '6', '7'), { partition: 2 });

    await processor.process(payload, new KafkaGroupGeneration());

    expect(processed).toEqual(['5', '6', '7']);
    expect(log).toEqual(['resolve 7', 'commit 8']);
    expect(payload.commitOffsetsIfNecessary).toHaveBeenCalledWith({
      topics: [{ topic: 'payments', partitions: [{ partition: 2, offset: '8' }] }],
    });
  });

  it('commits along the way when the commit interval has passed, never past an unsettled message', async () => {
    const { processor } = setup({}, { commitIntervalMs: 0 });
    const { payload, log } = fakeBatchPayload(offsets('0', '1'));

    await processor.process(payload, new KafkaGroupGeneration());

    expect(log).toEqual(['resolve 0', 'commit 1', 'resolve 1', 'commit 2']);
  });

  it('reads the clock for the commit interval every 16 messages handled at once, and at the end of the batch', async () => {
    const { processor } = setup({}, { commitIntervalMs: 0 });
    // Messages whose handlers answered at once: the processor gets no promise.
    const processSync = vi.fn(() => 'settled' as const);
    (
      processor as unknown as { options: { messages: { process: unknown } } }
    ).options.messages.process = processSync;
    const { payload, log } = fakeBatchPayload(
      offsets(...Array.from({ length: 40 }, (_, i) => `${i}`)),
    );

    await processor.process(payload, new KafkaGroupGeneration());

    expect(processSync).toHaveBeenCalledTimes(40);
    expect(log).toEqual([
      'resolve 15',
      'commit 16',
      'resolve 31',
      'commit 32',
      'resolve 39',
      'commit 40',
    ]);
  });

  it('commits mid-batch only once the commit interval has gone by since the last commit', async () => {
    const { processor } = setup(
      {
        // Message 1 takes the whole interval; 0 and 2 take no time.
        '1': async () => {
          vi.advanceTimersByTime(1_000);
          return 'settled';
        },
      },
      { commitIntervalMs: 1_000 },
    );
    const { payload, log } = fakeBatchPayload(offsets('0', '1', '2', '3'));

    await processor.process(payload, new KafkaGroupGeneration());

    expect(log).toEqual(['resolve 1', 'commit 2', 'resolve 3', 'commit 4']);
  });

  it('stops at an abandoned message: neither it nor anything after it is resolved or committed', async () => {
    const { processor, processed } = setup({ '11': 'abandoned' });
    const { payload, log } = fakeBatchPayload(offsets('10', '11', '12'));

    await processor.process(payload, new KafkaGroupGeneration());

    expect(processed).toEqual(['10', '11']);
    expect(log).toEqual(['resolve 10', 'commit 11']);
  });

  it('pauses the partition at a message that asks for a retry, commits what came before, and resumes it after the delay', async () => {
    const { processor, processed, retryWaits, resumed } = setup({
      '11': { attempt: 1, delayMs: 30 },
    });
    const { payload, log } = fakeBatchPayload(offsets('10', '11', '12'), { partition: 3 });

    await processor.process(payload, new KafkaGroupGeneration());

    expect(processed).toEqual(['10', '11']);
    expect(log).toEqual(['resolve 10', 'commit 11']);
    expect(payload.pause).toHaveBeenCalledTimes(1);
    expect(retryWaits.size).toBe(1);
    expect(resumed).toEqual([]);
    await vi.advanceTimersByTimeAsync(29);
    expect(resumed).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(resumed).toEqual([3]);
  });

  it('delivers the waiting message again as its next attempt, and the messages after it as first attempts', async () => {
    let calls = 0;
    const { processor, processed, attempts, retryWaits } = setup({
      '11': async () => (++calls === 1 ? { attempt: 2, delayMs: 0 } : 'settled'),
    });
    retryWaits.wait(0, '11', 1, 60_000);
    const first = fakeBatchPayload(offsets('11', '12'));
    await processor.process(first.payload, new KafkaGroupGeneration());

    expect(processed).toEqual(['11']);
    expect(attempts).toEqual([2]);

    const second = fakeBatchPayload(offsets('11', '12'));
    await processor.process(second.payload, new KafkaGroupGeneration());
    expect(attempts).toEqual([2, 3, 1]);
    expect(second.log).toEqual(['resolve 12', 'commit 13']);
    expect(retryWaits.size).toBe(0);
  });

  it('does not pause for a retry once the generation has halted: the message is left for redelivery', async () => {
    const generation = new KafkaGroupGeneration();
    const { processor, retryWaits } = setup({
      '0': async () => {
        generation.halt('stopping');
        return { attempt: 1, delayMs: 10 };
      },
    });
    const { payload, log } = fakeBatchPayload(offsets('0', '1'));

    await processor.process(payload, generation);

    expect(payload.pause).not.toHaveBeenCalled();
    expect(retryWaits.size).toBe(0);
    expect(log).toEqual([]);
  });

  it('returns as soon as stop() gives up on it, committing what settled before, never what finishes afterwards', async () => {
    let finish!: (settlement: KafkaMessageSettlement) => void;
    const { processor, abandonment } = setup({
      '1': () => new Promise((resolve) => (finish = resolve)),
    });
    const { payload, log } = fakeBatchPayload(offsets('0', '1', '2'));
    const processing = processor.process(payload, new KafkaGroupGeneration());
    await settle();

    abandonment.abandonAll();
    await expect(processing).resolves.toBeUndefined();
    expect(log).toEqual(['resolve 0', 'commit 1']);
    finish('settled');
    await settle();

    expect(log).toEqual(['resolve 0', 'commit 1']);
  });

  it('handles 64-bit offsets without losing precision', async () => {
    const { processor } = setup();
    const { payload, log } = fakeBatchPayload(offsets('9007199254740993'));

    await processor.process(payload, new KafkaGroupGeneration());

    expect(log).toEqual(['resolve 9007199254740993', 'commit 9007199254740994']);
  });

  it('does nothing with a batch of a halted generation, a stopped runner or a stale partition', async () => {
    const halted = new KafkaGroupGeneration();
    halted.halt('stopping');
    const { processor, processed } = setup();
    const first = fakeBatchPayload(offsets('0'));
    await processor.process(first.payload, halted);

    const second = fakeBatchPayload(offsets('0'));
    second.state.running = false;
    await processor.process(second.payload, new KafkaGroupGeneration());

    const third = fakeBatchPayload(offsets('0'));
    third.state.stale = true;
    await processor.process(third.payload, new KafkaGroupGeneration());

    expect(processed).toEqual([]);
    expect([...first.log, ...second.log, ...third.log]).toEqual([]);
  });

  it('neither resolves nor commits a message that finished after kafkajs stopped its runner (crash)', async () => {
    const batch = fakeBatchPayload(offsets('0', '1', '2'));
    const { processor } = setup({
      '1': async () => {
        batch.state.running = false;
        return 'settled';
      },
    });

    await processor.process(batch.payload, new KafkaGroupGeneration());

    expect(batch.log).toEqual([]);
  });

  it('finishes the current message when stopping, commits it and leaves the rest for later', async () => {
    const generation = new KafkaGroupGeneration();
    const { processor, processed } = setup({
      '1': async () => {
        generation.halt('stopping');
        return 'settled';
      },
    });
    const { payload, log } = fakeBatchPayload(offsets('0', '1', '2'));

    await processor.process(payload, generation);

    expect(processed).toEqual(['0', '1']);
    expect(log).toEqual(['resolve 1', 'commit 2']);
  });

  it('heartbeats while a message takes long, and on a rebalance finishes it, commits, and rethrows for kafkajs to rejoin', async () => {
    let finish!: (settlement: KafkaMessageSettlement) => void;
    const { processor, logger } = setup(
      { '0': () => new Promise((resolve) => (finish = resolve)) },
      { heartbeatIntervalMs: 100 },
    );
    const { payload, log } = fakeBatchPayload(offsets('0', '1'));
    const error = rebalance();
    vi.mocked(payload.heartbeat).mockResolvedValueOnce(undefined).mockRejectedValue(error);
    const generation = new KafkaGroupGeneration();

    const processing = processor.process(payload, generation);
    // kafkajs sends a heartbeat only once its interval has passed, so the batch asks at half of it.
    await vi.advanceTimersByTimeAsync(49);
    expect(payload.heartbeat).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(payload.heartbeat).toHaveBeenCalledTimes(1);
    expect(generation.reason).toBeUndefined();
    await vi.advanceTimersByTimeAsync(50);
    expect(payload.heartbeat).toHaveBeenCalledTimes(2);
    expect(generation.reason).toBe('lost');
    finish('settled');

    await expect(processing).rejects.toBe(error);
    expect(log).toEqual(['resolve 0', 'commit 1']);
    expect(logger.log).toHaveBeenCalledWith(
      expect.stringMatching(/Group g is rebalancing .*partition 0 stops after its current message/),
    );
    const calls = vi.mocked(payload.heartbeat).mock.calls.length;
    await vi.advanceTimersByTimeAsync(250);
    expect(vi.mocked(payload.heartbeat).mock.calls.length).toBe(calls);
  });

  it('rethrows a failed commit so that kafkajs retries, and treats a commit refused by a rebalance as the end of the generation', async () => {
    const refused = Object.assign(new Error('coordinator gone'), { type: 'REQUEST_TIMED_OUT' });
    const failing = fakeBatchPayload(offsets('0'), { commit: () => Promise.reject(refused) });
    const { processor, logger } = setup();
    await expect(processor.process(failing.payload, new KafkaGroupGeneration())).rejects.toBe(
      refused,
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/Committing offset 1 of payments partition 0 in group g failed/),
    );

    const error = rebalance();
    const rebalancing = fakeBatchPayload(offsets('0', '1'), {
      commit: () => Promise.reject(error),
    });
    const generation = new KafkaGroupGeneration();
    const withInterval = setup({}, { commitIntervalMs: 0 });
    await expect(withInterval.processor.process(rebalancing.payload, generation)).rejects.toBe(
      error,
    );
    expect(generation.reason).toBe('lost');
    expect(withInterval.processed).toEqual(['0']);
  });

  it('does not rethrow a failed commit while stopping: there is nothing left to retry', async () => {
    const generation = new KafkaGroupGeneration();
    const { processor } = setup({
      '0': async () => {
        generation.halt('stopping');
        return 'settled';
      },
    });
    const { payload } = fakeBatchPayload(offsets('0'), {
      commit: () => Promise.reject(new Error('broker gone')),
    });

    await expect(processor.process(payload, generation)).resolves.toBeUndefined();
    await settle();
  });
});

describe('KafkaBatchProcessor with messages that settle at once', () => {
  it('works through the whole batch without a microtask, then commits as before', async () => {
    let microtaskRan = false;
    const seen: boolean[] = [];
    const processor = new KafkaBatchProcessor({
      topic: 'payments',
      groupId: 'g',
      messages: { process: () => (seen.push(microtaskRan), 'settled') },
      abandonment: new KafkaAbandonment(),
      retryWaits: new KafkaRetryWaits(() => undefined),
      heartbeatIntervalMs: 60_000,
      commitIntervalMs: 60_000,
      logger: { log: vi.fn(), warn: vi.fn() },
    });
    const { payload, log } = fakeBatchPayload(offsets('5', '6', '7'), { partition: 2 });

    queueMicrotask(() => (microtaskRan = true));
    const done = processor.process(payload, new KafkaGroupGeneration());

    expect(seen).toEqual([false, false, false]);
    await done;
    expect(log).toEqual(['resolve 7', 'commit 8']);
  });
});
