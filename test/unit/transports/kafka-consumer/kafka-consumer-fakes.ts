import { EventEmitter } from 'node:events';
import type { Batch, ConsumerRunConfig, EachBatchPayload, KafkaMessage, Message } from 'kafkajs';
import { vi } from 'vitest';
import type { DispatchOutcome } from '../../../../lib/dispatch/delivery-outcome';
import { MessageBusError } from '../../../../lib/errors/message-bus.error';
import { MessageBusMessage } from '../../../../lib/message/message-bus-message';
import type {
  KafkaDeadLetterResult,
  KafkaDeadLetterSink,
} from '../../../../lib/transports/kafka/consumer/kafka-dead-letter.publisher';
import { buildPaymentMessage } from '../../../support/payment-message';

export const TOKEN = 'secret.service.token';

export function paymentMessage(reference = 'REF-1'): MessageBusMessage {
  return buildPaymentMessage({ reference, payerName: 'Jane Doe', serviceToken: TOKEN });
}

export const handled = (message = paymentMessage()): DispatchOutcome => ({
  status: 'handled',
  message,
  handlers: 1,
});
export const failed = (
  message = paymentMessage(),
  error: unknown = new Error('boom'),
): DispatchOutcome => ({ status: 'failed', message, error });
export const rejected = (): DispatchOutcome => ({
  status: 'rejected',
  reason: 'invalid-message',
  error: new MessageBusError('body is not valid JSON'),
});

export function kafkaMessage(
  offset: string,
  value = paymentMessage().serialize(),
  key: string | null = 'key-1',
): KafkaMessage {
  return {
    key: key === null ? null : Buffer.from(key),
    value: Buffer.from(value),
    timestamp: '1700000000000',
    attributes: 0,
    offset,
    headers: { 'trace-id': Buffer.from('trace-1') },
  };
}

/** A dead-letter sink that records what it got and fails the first `failures` publishes. */
export class FakeDeadLetters implements KafkaDeadLetterSink {
  readonly published: Array<{ topic: string; record: Message }> = [];
  tries = 0;

  /** `failures` transient failures first, then `result` (a `notStored` is not recorded as published). */
  constructor(
    private failures = 0,
    private readonly result: KafkaDeadLetterResult = 'stored',
  ) {}

  async publish(topic: string, record: Message): Promise<KafkaDeadLetterResult> {
    this.tries += 1;
    if (this.failures > 0) {
      this.failures -= 1;
      throw new MessageBusError('broker unavailable');
    }
    if (typeof this.result === 'string') this.published.push({ topic, record });
    return this.result;
  }
}

/** A kafkajs `eachBatch` payload over `messages` of one partition, recording resolve and commit in `log`. */
export function fakeBatchPayload(
  messages: KafkaMessage[],
  options: { partition?: number; topic?: string; commit?: (offset: string) => Promise<void> } = {},
) {
  const topic = options.topic ?? 'payments';
  const partition = options.partition ?? 0;
  const log: string[] = [];
  const state = { running: true, stale: false };
  const payload = {
    batch: { topic, partition, messages } as unknown as Batch,
    resolveOffset: vi.fn((offset: string) => {
      log.push(`resolve ${offset}`);
    }),
    heartbeat: vi.fn(async () => undefined),
    pause: vi.fn(() => () => undefined),
    commitOffsetsIfNecessary: vi.fn(
      async (offsets?: {
        topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
      }) => {
        const offset = offsets?.topics[0].partitions[0].offset ?? 'all';
        await options.commit?.(offset);
        log.push(`commit ${offset}`);
      },
    ),
    uncommittedOffsets: vi.fn(() => ({ topics: [] })),
    isRunning: vi.fn(() => state.running),
    isStale: vi.fn(() => state.stale),
  } satisfies EachBatchPayload;
  return { payload: payload as EachBatchPayload, log, state };
}

/** A kafkajs consumer stand-in: `run()` joins at once (unless told otherwise) and keeps `eachBatch` for the test to call. */
export class FakeKafkaConsumer {
  readonly events = {
    GROUP_JOIN: 'consumer.group_join',
    CRASH: 'consumer.crash',
    REBALANCING: 'consumer.rebalancing',
  } as const;
  private readonly emitter = new EventEmitter();
  runConfig?: ConsumerRunConfig;
  subscribed?: { topics: string[]; fromBeginning?: boolean };
  connect = vi.fn(async () => undefined);
  disconnect = vi.fn(async () => undefined);
  pause = vi.fn();
  resume = vi.fn();
  /** What `run()` does after storing the config; by default, joins with partitions 0 and 1. */
  onRun: () => void = () => this.join([0, 1]);

  constructor(readonly config: Record<string, unknown>) {}

  async subscribe(subscription: { topics: string[]; fromBeginning?: boolean }): Promise<void> {
    this.subscribed = subscription;
  }

  async run(config: ConsumerRunConfig): Promise<void> {
    this.runConfig = config;
    this.onRun();
  }

  on(event: string, listener: (event: { payload: unknown }) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  join(partitions: number[], topic = 'payments'): void {
    this.emitter.emit(this.events.GROUP_JOIN, {
      payload: { memberAssignment: { [topic]: partitions } },
    });
  }

  crash(error: Error, restart: boolean): void {
    this.emitter.emit(this.events.CRASH, { payload: { error, restart, groupId: 'g' } });
  }

  eachBatch(payload: EachBatchPayload): Promise<void> {
    if (!this.runConfig?.eachBatch) throw new Error('run() was not called with eachBatch');
    return this.runConfig.eachBatch(payload);
  }
}

/** Resolves after the pending timers and microtasks of the real event loop have run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
