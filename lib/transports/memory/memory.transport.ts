import { randomUUID } from 'node:crypto';
import { describeFailure, type DispatchOutcome } from '../../dispatch/dispatch-outcome';
import type { MessageBusMessage } from '../../message/message-bus-message';
import type {
  ConsumerState,
  ConsumerStatus,
  DeliveryHandler,
  MessageTransport,
  PublishOptions,
  PublishReceipt,
  RunningConsumer,
} from '../transport.interface';
import type {
  MemoryDeadLetterRecord,
  MemoryPublishedRecord,
  MemorySettlement,
} from './memory-records';
import type { MemorySubscription } from './memory-subscription.interface';

interface Entry {
  readonly messageId: string;
  readonly body: string;
  attempt: number;
}

interface GroupQueue {
  readonly ready: Entry[];
  consumer?: MemoryConsumer;
}

/** How many records of each kind the transport keeps for inspection; older ones are dropped. */
const RECORD_LIMIT = 10_000;

/**
 * An in-process bus with the same contract as SQS and Kafka: every publish is serialised
 * and parsed again, goes through the same dispatcher, and failures are retried with the
 * same policy and then dead-lettered. For local runs and tests; nothing survives a restart.
 */
export class MemoryTransport implements MessageTransport<MemorySubscription> {
  readonly name = 'memory' as const;
  readonly published: MemoryPublishedRecord[] = [];
  readonly deadLetters: MemoryDeadLetterRecord[] = [];
  private readonly channels = new Map<
    string,
    { groups: Map<string, GroupQueue>; unclaimed: Entry[] }
  >();
  private readonly consumers = new Set<MemoryConsumer>();
  private readonly settledListeners = new Set<(settlement: MemorySettlement) => void>();
  private readonly idleWaiters = new Set<() => void>();

  async publish(
    message: MessageBusMessage,
    destination: string,
    options: PublishOptions = {},
  ): Promise<PublishReceipt> {
    const messageId = randomUUID();
    const body = message.serialize();
    keepBounded(this.published, { messageId, destination, body, options });
    this.enqueue(destination, { messageId, body, attempt: 0 });
    return { transport: 'memory', destination, messageId };
  }

  /** Puts raw text on a channel, as another service might: for testing invalid input. */
  publishRaw(body: string, destination: string): string {
    const messageId = randomUUID();
    this.enqueue(destination, { messageId, body, attempt: 0 });
    return messageId;
  }

  async consume(
    subscription: MemorySubscription,
    handler: DeliveryHandler,
  ): Promise<RunningConsumer> {
    const queue = this.groupQueue(subscription.source, subscription.group);
    const consumer = new MemoryConsumer(this, subscription, handler, queue.ready);
    queue.consumer = consumer;
    this.consumers.add(consumer);
    consumer.pump();
    return consumer;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.stop(0)));
  }

  onSettled(listener: (settlement: MemorySettlement) => void): () => void {
    this.settledListeners.add(listener);
    return () => this.settledListeners.delete(listener);
  }

  /** Resolves once no message is queued, in flight or waiting for a retry. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.add(resolve));
  }

  /** Forgets published and dead-letter records (not queued messages). */
  clearRecords(): void {
    this.published.length = 0;
    this.deadLetters.length = 0;
  }

  /** @internal */
  settle(
    settlement: MemorySettlement,
    deadLetter?: { channel: string; body: string; reason: string },
  ): void {
    if (deadLetter) {
      keepBounded(this.deadLetters, {
        messageId: settlement.messageId,
        source: settlement.source,
        group: settlement.group,
        deadLetter: deadLetter.channel,
        body: deadLetter.body,
        reason: deadLetter.reason,
        attempts: settlement.attempts,
      });
      this.enqueue(deadLetter.channel, {
        messageId: randomUUID(),
        body: deadLetter.body,
        attempt: 0,
      });
    }
    for (const listener of this.settledListeners) listener(settlement);
    this.checkIdle();
  }

  /** @internal */
  checkIdle(): void {
    if (this.idleWaiters.size === 0 || !this.isIdle()) return;
    const waiters = [...this.idleWaiters];
    this.idleWaiters.clear();
    // Let the caller's continuation run after the current dispatch has fully unwound.
    setImmediate(() => waiters.forEach((resolve) => resolve()));
  }

  private isIdle(): boolean {
    return [...this.consumers].every((consumer) => consumer.isIdle());
  }

  private enqueue(destination: string, entry: Entry): void {
    const channel = this.channel(destination);
    if (channel.groups.size === 0) {
      // Kept until a group subscribes, which then starts from the earliest message.
      keepBounded(channel.unclaimed, entry);
      return;
    }
    for (const queue of channel.groups.values()) {
      queue.ready.push({ ...entry });
      queue.consumer?.pump();
    }
  }

  private channel(name: string): { groups: Map<string, GroupQueue>; unclaimed: Entry[] } {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = { groups: new Map(), unclaimed: [] };
      this.channels.set(name, channel);
    }
    return channel;
  }

  private groupQueue(source: string, group: string): GroupQueue {
    const channel = this.channel(source);
    let queue = channel.groups.get(group);
    if (!queue) {
      queue = { ready: channel.unclaimed.map((entry) => ({ ...entry })) };
      if (channel.groups.size === 0) channel.unclaimed.length = 0;
      channel.groups.set(group, queue);
    }
    return queue;
  }
}

class MemoryConsumer implements RunningConsumer {
  readonly name: string;
  private state: ConsumerState = 'running';
  private inFlight = 0;
  private waitingRetries = 0;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private counts = { handled: 0, retried: 0, deadLettered: 0 };
  private drained?: () => void;

  constructor(
    private readonly transport: MemoryTransport,
    private readonly subscription: MemorySubscription,
    private readonly handler: DeliveryHandler,
    private readonly ready: Entry[],
  ) {
    this.name = `memory:${subscription.source} (${subscription.group})`;
  }

  status(): ConsumerStatus {
    return { name: this.name, state: this.state, inFlight: this.inFlight, ...this.counts };
  }

  isIdle(): boolean {
    return (
      this.state !== 'running' ||
      (this.ready.length === 0 && this.inFlight === 0 && this.waitingRetries === 0)
    );
  }

  pump(): void {
    while (
      this.state === 'running' &&
      this.inFlight < this.subscription.concurrency &&
      this.ready.length > 0
    ) {
      const entry = this.ready.shift() as Entry;
      this.inFlight += 1;
      void this.deliver(entry);
    }
  }

  async stop(timeoutMs: number): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.waitingRetries = 0;
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        setTimeout(resolve, timeoutMs).unref();
      });
    }
    this.state = 'stopped';
    this.transport.checkIdle();
  }

  private async deliver(entry: Entry): Promise<void> {
    entry.attempt += 1;
    const { source, group, retry, deadLetter } = this.subscription;
    const outcome: DispatchOutcome = await this.handler({
      transport: 'memory',
      source,
      body: entry.body,
      attempt: entry.attempt,
      messageId: entry.messageId,
    });
    this.inFlight -= 1;
    const settlement = {
      messageId: entry.messageId,
      source,
      group,
      attempts: entry.attempt,
      outcome,
    };

    if (outcome.status === 'handled') {
      this.counts.handled += 1;
      this.transport.settle({ ...settlement, deadLettered: false });
    } else if (
      outcome.status === 'failed' &&
      retry.canRetry(entry.attempt) &&
      this.state === 'running'
    ) {
      this.counts.retried += 1;
      this.scheduleRetry(entry, retry.delayAfter(entry.attempt));
    } else if (outcome.status === 'failed' && this.state !== 'running') {
      // Shutting down: left for redelivery, as a real broker would keep it.
      this.ready.unshift(entry);
    } else {
      this.counts.deadLettered += 1;
      this.transport.settle(
        { ...settlement, deadLettered: true },
        { channel: deadLetter, body: entry.body, reason: describeFailure(outcome) },
      );
    }
    if (this.inFlight === 0) this.drained?.();
    this.pump();
    this.transport.checkIdle();
  }

  private scheduleRetry(entry: Entry, delayMs: number): void {
    this.waitingRetries += 1;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.waitingRetries -= 1;
      this.ready.unshift(entry);
      this.pump();
    }, delayMs);
    this.retryTimers.add(timer);
  }
}

function keepBounded<T>(records: T[], record: T): void {
  records.push(record);
  if (records.length > RECORD_LIMIT) records.splice(0, records.length - RECORD_LIMIT);
}
