import { describe, expect, it } from 'vitest';
import {
  ABANDONED,
  KafkaAbandonment,
} from '../../../../lib/transports/kafka/consumer/kafka-abandonment';
import {
  isGroupMembershipLost,
  KafkaGroupGeneration,
} from '../../../../lib/transports/kafka/consumer/kafka-group-generation';

describe('KafkaGroupGeneration', () => {
  it('halts once, keeping the first reason and error', () => {
    const generation = new KafkaGroupGeneration();
    const rebalance = Object.assign(new Error('rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });

    expect(generation.signal.aborted).toBe(false);
    generation.halt('lost', rebalance);
    generation.halt('stopping');

    expect(generation.signal.aborted).toBe(true);
    expect(generation.reason).toBe('lost');
    expect(generation.error).toBe(rebalance);
  });
});

describe('isGroupMembershipLost', () => {
  it('is true for the errors after which kafkajs must rejoin, false for others', () => {
    for (const type of [
      'REBALANCE_IN_PROGRESS',
      'NOT_COORDINATOR_FOR_GROUP',
      'ILLEGAL_GENERATION',
      'UNKNOWN_MEMBER_ID',
    ]) {
      expect(isGroupMembershipLost(Object.assign(new Error(type), { type })), type).toBe(true);
    }
    expect(
      isGroupMembershipLost(Object.assign(new Error('x'), { type: 'REQUEST_TIMED_OUT' })),
    ).toBe(false);
    expect(isGroupMembershipLost(new Error('connection refused'))).toBe(false);
    expect(isGroupMembershipLost(undefined)).toBe(false);
  });
});

describe('KafkaAbandonment', () => {
  it('passes results through until abandonAll(), then ends every wait, and later ones at once', async () => {
    const abandonment = new KafkaAbandonment();
    await expect(abandonment.race(Promise.resolve(7))).resolves.toBe(7);

    const pending = abandonment.race(new Promise<number>(() => undefined));
    abandonment.abandonAll();

    await expect(pending).resolves.toBe(ABANDONED);
    await expect(abandonment.race(Promise.resolve(1))).resolves.toBe(ABANDONED);
    expect(abandonment.abandoned).toBe(true);
  });
});
