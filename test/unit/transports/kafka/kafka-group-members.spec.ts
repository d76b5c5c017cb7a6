import { describe, expect, it, vi } from 'vitest';
import type { ConsumerStatus } from '../../../../lib/transports/transport.interface';
import { KafkaGroupMembers } from '../../../../lib/transports/kafka/kafka-group-members';

function member(status: Partial<ConsumerStatus>, start: () => Promise<void> = async () => {}) {
  return {
    name: 'member',
    start: vi.fn(start),
    stop: vi.fn(async (_timeoutMs: number) => undefined),
    pause: vi.fn(async () => undefined),
    resume: vi.fn(async () => undefined),
    status: (): ConsumerStatus => ({
      name: 'member',
      state: 'running',
      inFlight: 0,
      handled: 0,
      retried: 0,
      deadLettered: 0,
      ...status,
    }),
  };
}

describe('KafkaGroupMembers', () => {
  it('reports one status: counts summed, the most urgent state, the first error', async () => {
    const members = [
      member({ handled: 3, inFlight: 1, retried: 2 }),
      member({ state: 'reconnecting', handled: 4, deadLettered: 1, lastError: 'broker gone' }),
      member({ handled: 5 }),
    ];
    const group = await KafkaGroupMembers.start('kafka:payments (g)', members);

    expect(group.status()).toEqual({
      name: 'kafka:payments (g)',
      state: 'reconnecting',
      inFlight: 1,
      handled: 12,
      retried: 2,
      deadLettered: 1,
      lastError: 'broker gone',
    });
    expect(members.every((m) => m.start.mock.calls.length === 1)).toBe(true);
  });

  it('says failed as soon as one member failed, and running only when all run', async () => {
    const running = await KafkaGroupMembers.start('g', [member({}), member({})]);
    expect(running.status().state).toBe('running');
    expect(running.status()).not.toHaveProperty('lastError');

    const failing = await KafkaGroupMembers.start('g', [
      member({ state: 'reconnecting' }),
      member({ state: 'failed', lastError: 'auth' }),
    ]);
    expect(failing.status()).toMatchObject({ state: 'failed', lastError: 'auth' });
  });

  it('stops every member with the timeout it was given', async () => {
    const members = [member({}), member({})];
    const group = await KafkaGroupMembers.start('g', members);

    await group.stop(1_234);

    expect(members.map((m) => m.stop.mock.calls)).toEqual([[[1_234]], [[1_234]]]);
  });

  it('pauses and resumes every member, and says paused once all are', async () => {
    const members = [member({ state: 'paused' }), member({ state: 'paused' })];
    const group = await KafkaGroupMembers.start('g', members);

    await group.pause();
    expect(members.map((m) => m.pause.mock.calls.length)).toEqual([1, 1]);
    expect(group.status().state).toBe('paused');

    await group.resume();
    expect(members.map((m) => m.resume.mock.calls.length)).toEqual([1, 1]);
  });

  it('stops the members that started and rethrows when one cannot start', async () => {
    const refused = new Error('SASL authentication failed');
    const members = [
      member({}),
      member({}, async () => {
        throw refused;
      }),
    ];

    await expect(KafkaGroupMembers.start('g', members)).rejects.toBe(refused);
    expect(members.map((m) => m.stop.mock.calls)).toEqual([[[0]], [[0]]]);
  });
});
