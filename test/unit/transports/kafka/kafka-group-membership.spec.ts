import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  KafkaGroupMembership,
  type KafkaGroupListener,
} from '../../../../lib/transports/kafka/kafka-group-membership';

const EVENTS = {
  GROUP_JOIN: 'consumer.group_join',
  REBALANCING: 'consumer.rebalancing',
  CRASH: 'consumer.crash',
} as const;

/** Just the event surface of a kafkajs consumer. */
class FakeGroupEvents {
  readonly events = EVENTS;
  private readonly emitter = new EventEmitter();

  on(event: string, listener: (event: { payload: unknown }) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  join(assignment: Record<string, number[]>): void {
    this.emitter.emit(EVENTS.GROUP_JOIN, { payload: { memberAssignment: assignment } });
  }

  rebalance(): void {
    this.emitter.emit(EVENTS.REBALANCING, { payload: { groupId: 'g' } });
  }

  crash(error: Error, restart: boolean): void {
    this.emitter.emit(EVENTS.CRASH, { payload: { error, restart, groupId: 'g' } });
  }

  listenerCount(): number {
    return Object.values(EVENTS).reduce(
      (total, event) => total + this.emitter.listenerCount(event),
      0,
    );
  }
}

function recordingListener(): KafkaGroupListener & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    joined: (partitions) => calls.push(['joined', [...partitions]]),
    rebalancing: () => calls.push(['rebalancing']),
    crashed: (error, restart) => calls.push(['crashed', error.message, restart]),
  };
}

function membershipOf(fake: FakeGroupEvents, listener: KafkaGroupListener): KafkaGroupMembership {
  return new KafkaGroupMembership(fake as unknown as Consumer, 'payments', listener);
}

describe('KafkaGroupMembership', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("hands each event to the listener, a join narrowed to the topic's partitions", () => {
    const fake = new FakeGroupEvents();
    const listener = recordingListener();
    const membership = membershipOf(fake, listener);
    fake.join({ payments: [2, 0], other: [1] });
    fake.rebalance();
    fake.join({ other: [0] });
    fake.crash(new Error('coordinator moved'), true);
    expect(listener.calls).toEqual([
      ['joined', [2, 0]],
      ['rebalancing'],
      ['joined', []],
      ['crashed', 'coordinator moved', true],
    ]);
    expect(membership.joined).toBe(true);
    expect(membership.fatalCrash).toBeUndefined();
  });

  it('keeps the crash kafkajs gives up on', () => {
    const fake = new FakeGroupEvents();
    const membership = membershipOf(fake, recordingListener());
    fake.crash(new Error('retried'), true);
    expect(membership.fatalCrash).toBeUndefined();
    fake.crash(new Error('not authorised'), false);
    expect(membership.fatalCrash?.message).toBe('not authorised');
    expect(membership.joined).toBe(false);
  });

  it('settles the first join at once unless kafkajs is retrying it', async () => {
    const joinedFirst = new FakeGroupEvents();
    const joined = membershipOf(joinedFirst, recordingListener());
    joinedFirst.join({ payments: [0] });
    await expect(joined.whenFirstJoinSettles(30_000)).resolves.toBeUndefined();

    const neverCrashed = membershipOf(new FakeGroupEvents(), recordingListener());
    await expect(neverCrashed.whenFirstJoinSettles(30_000)).resolves.toBeUndefined();

    const gaveUp = new FakeGroupEvents();
    const failed = membershipOf(gaveUp, recordingListener());
    gaveUp.crash(new Error('denied'), false);
    await expect(failed.whenFirstJoinSettles(30_000)).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits for a retried first join until it joins, kafkajs gives up, or the time runs out', async () => {
    const joins = new FakeGroupEvents();
    const rejoining = membershipOf(joins, recordingListener());
    joins.crash(new Error('coordinator loading'), true);
    let settled = false;
    void rejoining.whenFirstJoinSettles(30_000).then(() => (settled = true));
    joins.crash(new Error('still loading'), true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(settled).toBe(false);
    joins.join({ payments: [0] });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);
    expect(vi.getTimerCount()).toBe(0);

    const givesUp = new FakeGroupEvents();
    const failing = membershipOf(givesUp, recordingListener());
    givesUp.crash(new Error('coordinator loading'), true);
    const failingSettled = failing.whenFirstJoinSettles(30_000);
    givesUp.crash(new Error('denied'), false);
    await expect(failingSettled).resolves.toBeUndefined();

    const silent = new FakeGroupEvents();
    const timingOut = membershipOf(silent, recordingListener());
    silent.crash(new Error('coordinator loading'), true);
    let timedOut = false;
    void timingOut.whenFirstJoinSettles(30_000).then(() => (timedOut = true));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(timedOut).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(timedOut).toBe(true);
  });

  it('stops listening once detached', () => {
    const fake = new FakeGroupEvents();
    const listener = recordingListener();
    const membership = membershipOf(fake, listener);
    expect(fake.listenerCount()).toBe(3);
    membership.detach();
    expect(fake.listenerCount()).toBe(0);
    fake.join({ payments: [0] });
    expect(listener.calls).toEqual([]);
  });
});
