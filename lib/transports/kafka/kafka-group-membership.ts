import type { Consumer } from 'kafkajs';

/** What a consumer does when its kafkajs consumer joins, rebalances or crashes. */
export interface KafkaGroupListener {
  /**
   * Joined (or rejoined) the group with these partitions of the topic; none when it has more
   * members than partitions. `assignment`: every topic's partitions this member was given.
   */
  joined(partitions: readonly number[], assignment: Readonly<Record<string, number[]>>): void;
  /** The group is rebalancing: what was fetched for the old assignment no longer counts. */
  rebalancing(): void;
  /** kafkajs's runner crashed; with `restart` kafkajs starts it again itself, without it the consumer is done for good. */
  crashed(error: Error, restart: boolean): void;
}

/**
 * One kafkajs consumer's membership of its group for one topic, as both the runtime
 * `KafkaConsumer` and the `KafkaPullConsumer` behind `KafkaClient.receiveMessage` see it:
 * kafkajs's join, rebalance and crash events, each handed to a `KafkaGroupListener` with the
 * join narrowed to the topic's partitions, and what the first join came to. kafkajs reports a
 * first join that failed through its crash event, not by rejecting `run()`, so only this
 * record says whether `run()` left the consumer in its group.
 */
export class KafkaGroupMembership {
  private joinedOnce = false;
  private restartPending = false;
  private fatalError?: Error;
  private readonly settleWaiters = new Set<() => void>();
  private readonly removeListeners: Array<() => void>;

  constructor(consumer: Consumer, topic: string, listener: KafkaGroupListener) {
    const { GROUP_JOIN, REBALANCING, CRASH } = consumer.events;
    this.removeListeners = [
      consumer.on(GROUP_JOIN, ({ payload }) => {
        this.joinedOnce = true;
        this.restartPending = false;
        listener.joined(payload.memberAssignment[topic] ?? [], payload.memberAssignment);
        this.wakeSettleWaiters();
      }),
      consumer.on(REBALANCING, () => listener.rebalancing()),
      consumer.on(CRASH, ({ payload }) => {
        this.restartPending = payload.restart;
        if (!payload.restart) this.fatalError = payload.error;
        listener.crashed(payload.error, payload.restart);
        if (!payload.restart) this.wakeSettleWaiters();
      }),
    ];
  }

  /** Whether the consumer has joined its group at least once. */
  get joined(): boolean {
    return this.joinedOnce;
  }

  /** The crash kafkajs gave up on, if one came; the consumer reads nothing more after it. */
  get fatalCrash(): Error | undefined {
    return this.fatalError;
  }

  /**
   * After `run()` has returned without a join because kafkajs is retrying a first join that
   * failed with a retriable error (a coordinator still loading on a fresh broker, say): waits
   * for that join, or for a crash kafkajs gives up on, for up to `timeoutMs`. At once in
   * every other case.
   */
  whenFirstJoinSettles(timeoutMs: number): Promise<void> {
    if (this.joinedOnce || !this.restartPending || this.fatalError) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const settle = (): void => {
        clearTimeout(timer);
        this.settleWaiters.delete(settle);
        resolve();
      };
      const timer = setTimeout(settle, timeoutMs);
      this.settleWaiters.add(settle);
    });
  }

  /** Stops listening to kafkajs; a pending `whenFirstJoinSettles()` still ends at its timeout. */
  detach(): void {
    for (const remove of this.removeListeners.splice(0)) remove();
  }

  private wakeSettleWaiters(): void {
    for (const settle of [...this.settleWaiters]) settle();
  }
}
