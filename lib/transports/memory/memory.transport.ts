import { randomUUID } from 'node:crypto';
import type { MessageBusMessage } from '../../message/message-bus-message';
import type { ResolvedKafkaConsumer, ResolvedSqsConsumer } from '../../options/resolved-options';
import type {
  DeliveryHandler,
  MessageTransport,
  PublishOptions,
  PublishReceipt,
  RunningConsumer,
} from '../transport.interface';
import { MemoryBusRecords, keepBounded } from './memory-bus-records';
import { MemoryConsumer, type MemoryConsumerHost } from './memory.consumer';
import type { MemoryEntry, MemoryGroupQueue } from './memory-entry';
import type {
  MemoryBusObserver,
  MemoryDeadLetterRecord,
  MemoryPublishedRecord,
  MemorySettlement,
} from './memory-records';
import { toMemorySubscription } from './memory-subscription';

interface MemoryChannel {
  readonly groups: Map<string, MemoryGroupQueue & { consumer?: MemoryConsumer }>;
  /** Messages published before any group subscribed; the first group starts from them. */
  readonly unclaimed: MemoryEntry[];
}

/**
 * An in-process bus that is a peer of SQS and Kafka: it consumes the same consumer settings
 * (`consumers.sqs` and `consumers.kafka`), every publish is serialised and parsed again, and its
 * consumers carry out the same settlement policy with the same defaults, dead-letter
 * destinations and ordering (see MemoryConsumer). For local runs and tests; nothing survives
 * a restart.
 */
export class MemoryTransport
  implements MessageTransport<ResolvedSqsConsumer | ResolvedKafkaConsumer>, MemoryConsumerHost
{
  readonly name = 'memory' as const;
  /** The latest published and dead-lettered messages, for tests (see MessageBusTestBus). */
  readonly records = new MemoryBusRecords();
  private readonly observers = new Set<MemoryBusObserver>([this.records]);
  private readonly channels = new Map<string, MemoryChannel>();
  private readonly consumers = new Set<MemoryConsumer>();
  private readonly idleWaiters = new Set<() => void>();

  /** @deprecated Read them through `MessageBusTestBus.published()`. */
  get published(): MemoryPublishedRecord[] {
    return this.records.publishedRecords;
  }

  /** @deprecated Read them through `MessageBusTestBus.deadLetters()`. */
  get deadLetters(): MemoryDeadLetterRecord[] {
    return this.records.deadLetterRecords;
  }

  async publish(
    message: MessageBusMessage,
    destination: string,
    options: PublishOptions = {},
  ): Promise<PublishReceipt> {
    const messageId = randomUUID();
    const body = message.serialize();
    const record: MemoryPublishedRecord = { messageId, destination, body, options };
    for (const observer of this.observers) observer.published?.(record);
    this.enqueue(destination, entryOf(messageId, body, options));
    return { transport: 'memory', destination, messageId };
  }

  /** Puts raw text on a channel, as another service might: for testing invalid input. */
  publishRaw(body: string, destination: string, options: PublishOptions = {}): string {
    const messageId = randomUUID();
    this.enqueue(destination, entryOf(messageId, body, options));
    return messageId;
  }

  async consume(
    consumer: ResolvedSqsConsumer | ResolvedKafkaConsumer,
    handler: DeliveryHandler,
  ): Promise<RunningConsumer> {
    const subscription = toMemorySubscription(consumer);
    const queue = this.groupQueue(subscription.source, subscription.group);
    const running = new MemoryConsumer(this, subscription, handler, queue);
    queue.consumer = running;
    this.consumers.add(running);
    running.pump();
    return running;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.stop(0)));
  }

  /** Watches publishes, dead letters and settlements; returns a function that stops watching. */
  observe(observer: MemoryBusObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  onSettled(listener: (settlement: MemorySettlement) => void): () => void {
    return this.observe({ settled: listener });
  }

  /** Resolves once no message is queued, in flight or waiting for a retry. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.add(resolve));
  }

  /** Forgets published and dead-letter records (not queued messages). */
  clearRecords(): void {
    this.records.clear();
  }

  /** @internal */
  deadLetter(
    channel: string,
    entry: MemoryEntry,
    settlement: MemorySettlement,
    reason: string,
  ): void {
    const record: MemoryDeadLetterRecord = {
      messageId: settlement.messageId,
      source: settlement.source,
      group: settlement.group,
      deadLetter: channel,
      body: entry.body,
      reason,
      attempts: settlement.attempts,
    };
    for (const observer of this.observers) observer.deadLettered?.(record);
    this.enqueue(channel, {
      messageId: randomUUID(),
      body: entry.body,
      key: entry.key,
      attempt: 0,
    });
    this.settled(settlement);
  }

  /** @internal */
  settled(settlement: MemorySettlement): void {
    for (const observer of this.observers) observer.settled?.(settlement);
  }

  /** @internal */
  checkIdle(): void {
    if (this.idleWaiters.size === 0 || !this.isIdle()) return;
    const waiters = [...this.idleWaiters];
    this.idleWaiters.clear();
    // Let the caller's continuation run after the current delivery has fully unwound.
    setImmediate(() => waiters.forEach((resolve) => resolve()));
  }

  private isIdle(): boolean {
    return [...this.consumers].every((consumer) => consumer.isIdle());
  }

  private enqueue(destination: string, entry: MemoryEntry): void {
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

  private channel(name: string): MemoryChannel {
    let channel = this.channels.get(name);
    if (!channel) {
      channel = { groups: new Map(), unclaimed: [] };
      this.channels.set(name, channel);
    }
    return channel;
  }

  private groupQueue(
    source: string,
    group: string,
  ): MemoryGroupQueue & { consumer?: MemoryConsumer } {
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

function entryOf(messageId: string, body: string, options: PublishOptions): MemoryEntry {
  return {
    messageId,
    body,
    ...(options.key !== undefined ? { key: options.key } : {}),
    ...(options.messageGroupId !== undefined ? { groupId: options.messageGroupId } : {}),
    ...(options.headers !== undefined ? { headers: options.headers } : {}),
    attempt: 0,
  };
}
