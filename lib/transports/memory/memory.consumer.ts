import { withOccasionalCounts } from '../occasional-counts';
import { Logger } from '@nestjs/common';
import { describeDelivery } from '../../dispatch/delivery-description';
import { isUnauthenticated, type DispatchOutcome } from '../../dispatch/delivery-outcome';
import type { InboundDelivery } from '../../dispatch/inbound-delivery.interface';
import { decideSettlement } from '../../dispatch/settlement-policy';
import { observeSettlement } from '../../telemetry/settlement-observation';
import type {
  ConsumerState,
  ConsumerStatus,
  DeliveryHandler,
  RunningConsumer,
} from '../transport.interface';
import { memoryConsumerName } from '../consumer-names';
import type { MemoryEntry, MemoryGroupQueue } from './memory-entry';
import type { MemorySettlement } from './memory-records';
import type { MemorySubscription } from './memory-subscription.interface';

/** What a consumer needs from the bus it runs on. */
export interface MemoryConsumerHost {
  deadLetter(
    channel: string,
    entry: MemoryEntry,
    settlement: MemorySettlement,
    reason: string,
  ): void;
  settled(settlement: MemorySettlement): void;
  checkIdle(): void;
}

/**
 * One consumer group's consumer on the in-memory bus. It carries out the same settlement
 * policy as the SQS and Kafka consumers: acknowledged messages are dropped, retries come back
 * after their delay as the next attempt, dead letters go to the dead-letter channel, and a
 * message with nowhere to go is left at its source and comes back after its delay. Ordered
 * messages (per key, or per FIFO group) run one at a time and a failed one holds up those after
 * it, as a paused Kafka partition or a FIFO group does, unless the Kafka consumer it stands in
 * for has `retryMode: 'retry-topic'`. `stop()` puts every message it holds back for
 * redelivery. `pause()` starts nothing new (queued messages wait, retries come back to the
 * queue) until `resume()`.
 */
export class MemoryConsumer implements RunningConsumer {
  readonly name: string;
  private readonly logger = new Logger(MemoryConsumer.name);
  private state: ConsumerState = 'running';
  private inFlight = 0;
  /** Keys or FIFO groups with a message in flight, waiting for a retry, or left at the source. */
  private readonly busyLanes = new Set<string>();
  /** Messages waiting for their retry: the bus is not idle while there are any. */
  private readonly retrying = new Map<NodeJS.Timeout, MemoryEntry>();
  /** Messages left at their source, back after a delay: they do not keep the bus busy. */
  private readonly left = new Map<NodeJS.Timeout, MemoryEntry>();
  private readonly counts = { handled: 0, retried: 0, deadLettered: 0 };
  private unauthenticated = 0;
  /** Deliveries acknowledged as idempotency duplicates: reported once there is one. */
  private duplicates = 0;
  /** Messages whose handler runs now. */
  private readonly running = new Set<MemoryEntry>();
  /** Given back by `stop()` while their handler still ran: whatever it returns is dropped. */
  private readonly abandoned = new WeakSet<MemoryEntry>();
  /** Called once nothing is in flight: `stop()` and `pause()` wait for it. */
  private readonly drainWaiters = new Set<() => void>();

  constructor(
    private readonly host: MemoryConsumerHost,
    private readonly subscription: MemorySubscription,
    private readonly handler: DeliveryHandler,
    private readonly queue: MemoryGroupQueue,
  ) {
    this.name = memoryConsumerName(subscription.source, subscription.group);
  }

  status(): ConsumerStatus {
    return withOccasionalCounts(
      { name: this.name, state: this.state, inFlight: this.inFlight, ...this.counts },
      { unauthenticated: this.unauthenticated, duplicate: this.duplicates },
    );
  }

  /** Nothing in flight, waiting for a retry, or ready to run. */
  isIdle(): boolean {
    if (this.state === 'paused') return this.inFlight === 0;
    return (
      this.state !== 'running' ||
      (this.inFlight === 0 && this.retrying.size === 0 && this.nextRunnable() < 0)
    );
  }

  pump(): void {
    while (this.state === 'running' && this.inFlight < this.subscription.concurrency) {
      const index = this.nextRunnable();
      if (index < 0) return;
      const [entry] = this.queue.ready.splice(index, 1);
      const lane = this.laneOf(entry);
      if (lane !== undefined) this.busyLanes.add(lane);
      this.inFlight += 1;
      void this.deliver(entry, lane);
    }
  }

  async pause(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'paused';
    await this.whenDrained();
    this.host.checkIdle();
  }

  async resume(): Promise<void> {
    if (this.state !== 'paused') return;
    this.state = 'running';
    this.pump();
  }

  async stop(timeoutMs: number): Promise<void> {
    if (this.state === 'stopped' || this.state === 'stopping') return;
    this.state = 'stopping';
    // What waits here goes back to the group's queue, oldest first, as a broker keeps it.
    const held = [...this.retrying, ...this.left];
    this.retrying.clear();
    this.left.clear();
    for (const [timer] of held) clearTimeout(timer);
    this.queue.ready.unshift(...held.map(([, entry]) => entry));
    this.busyLanes.clear();
    if (this.inFlight > 0) {
      await Promise.race([
        this.whenDrained(),
        new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
      ]);
    }
    if (this.running.size > 0) {
      // As SQS and Kafka do: a handler still running after the timeout is not waited for,
      // and its message goes back unsettled, for the next consumer of the group.
      this.logger.warn(
        `${this.running.size} handler(s) of ${this.subscription.source} still ran after ${timeoutMs} ms; their messages go back for redelivery`,
      );
      for (const entry of this.running) this.abandoned.add(entry);
      this.queue.ready.unshift(...this.running);
      this.running.clear();
    }
    this.state = 'stopped';
    this.host.checkIdle();
  }

  private whenDrained(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.add(resolve));
  }

  private wakeDrainWaiters(): void {
    for (const wake of [...this.drainWaiters]) wake();
    this.drainWaiters.clear();
  }

  private laneOf(entry: MemoryEntry): string | undefined {
    switch (this.subscription.ordering) {
      case 'key':
        return entry.key ?? '';
      case 'group':
        return entry.groupId ?? '';
      case 'none':
        return undefined;
    }
  }

  private nextRunnable(): number {
    if (this.busyLanes.size === 0) return this.queue.ready.length > 0 ? 0 : -1;
    return this.queue.ready.findIndex((entry) => {
      const lane = this.laneOf(entry);
      return lane === undefined || !this.busyLanes.has(lane);
    });
  }

  private async deliver(entry: MemoryEntry, lane: string | undefined): Promise<void> {
    entry.attempt += 1;
    const { source, group, rules, deadLetter } = this.subscription;
    const delivery: InboundDelivery = {
      transport: 'memory',
      source,
      body: entry.body,
      attempt: entry.attempt,
      messageId: entry.messageId,
      ...(entry.key !== undefined ? { key: entry.key } : {}),
      ...(entry.headers !== undefined ? { headers: entry.headers } : {}),
    };
    let outcome: DispatchOutcome;
    this.running.add(entry);
    try {
      outcome = await this.handler(delivery);
    } catch (error) {
      outcome = { status: 'failed', error };
    }
    this.running.delete(entry);
    this.inFlight -= 1;
    if (this.abandoned.has(entry)) {
      this.abandoned.delete(entry);
      this.logger.warn(
        `${describeDelivery(delivery, outcome.message)} finished after shutdown gave it back to ${source}; its result is dropped and it will be delivered again`,
      );
      this.host.checkIdle();
      return;
    }
    const stopping = this.state === 'stopping' || this.state === 'stopped';
    const settlement = decideSettlement(outcome, entry.attempt, rules, stopping);
    observeSettlement(delivery, settlement);
    if (isUnauthenticated(outcome)) this.unauthenticated += 1;
    const record = (action: MemorySettlement['action']): MemorySettlement => ({
      messageId: entry.messageId,
      source,
      group,
      attempts: entry.attempt,
      outcome,
      action,
      deadLettered: action === 'dead-letter',
    });
    const what = (): string => describeDelivery(delivery, outcome.message);
    switch (settlement.action) {
      case 'acknowledge':
        if (outcome.status === 'duplicate') this.duplicates += 1;
        else this.counts.handled += 1;
        this.freeLane(lane);
        this.host.settled(record('acknowledge'));
        break;
      case 'retry':
        this.counts.retried += 1;
        this.logger.warn(`Retrying ${what()} in ${settlement.delayMs} ms: ${settlement.reason}`);
        if (this.subscription.retryMode === 'retry-topic') {
          // As a Kafka retry topic does: the message waits aside and its key goes on meanwhile.
          this.freeLane(lane);
          this.holdFor(this.retrying, entry, undefined, settlement.delayMs);
        } else {
          this.holdFor(this.retrying, entry, lane, settlement.delayMs);
        }
        break;
      case 'release':
        this.logger.warn(
          `Not retrying ${what()}: the consumer is stopping, so it stays on ${source} for redelivery (${settlement.reason})`,
        );
        this.freeLane(lane);
        this.queue.ready.unshift(entry);
        break;
      case 'dead-letter':
        this.counts.deadLettered += 1;
        this.freeLane(lane);
        this.logger.error(`Dead-lettered ${what()} to ${deadLetter}: ${settlement.reason}`);
        this.host.deadLetter(deadLetter as string, entry, record('dead-letter'), settlement.reason);
        break;
      case 'leave':
        this.logger.error(
          `Gave up on ${what()} (${settlement.reason}), but ${source} has no dead-letter queue: it stays on the queue, ` +
            `delivered again in ${settlement.delayMs} ms; set consumers.sqs[].deadLetterQueue`,
        );
        this.holdFor(this.left, entry, lane, settlement.delayMs);
        this.host.settled(record('leave'));
        break;
    }
    if (this.inFlight === 0) this.wakeDrainWaiters();
    this.pump();
    this.host.checkIdle();
  }

  /** Keeps the message (and its lane) out of the queue for `delayMs`, then puts it back in front. */
  private holdFor(
    holding: Map<NodeJS.Timeout, MemoryEntry>,
    entry: MemoryEntry,
    lane: string | undefined,
    delayMs: number,
  ): void {
    const timer = setTimeout(() => {
      holding.delete(timer);
      this.freeLane(lane);
      this.queue.ready.unshift(entry);
      this.pump();
      this.host.checkIdle();
    }, delayMs);
    // A message left at its source must not keep the process alive; a retry does, as on a broker.
    if (holding === this.left) timer.unref();
    holding.set(timer, entry);
  }

  private freeLane(lane: string | undefined): void {
    if (lane !== undefined) this.busyLanes.delete(lane);
  }
}
