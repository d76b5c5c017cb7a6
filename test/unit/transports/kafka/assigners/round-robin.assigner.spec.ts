import { describe, expect, it } from 'vitest';
import { assignRoundRobin } from '../../../../../lib/transports/kafka/assigners/round-robin.assigner';
import { member, partitions, shown } from './assigner-layouts';

/**
 * Expected results are the Java client's `RoundRobinAssignor` (kafka-clients): the layouts of
 * its Javadoc and of `RoundRobinAssignorTest`, and a few worked by its rule (every subscribed
 * topic-partition, topics by name, dealt to the members by id in turn, skipping a member not
 * subscribed to the topic).
 */
describe('assignRoundRobin (the Java RoundRobinAssignor)', () => {
  it('Javadoc: C0 and C1 on t0 and t1 of 3 partitions each', () => {
    const result = assignRoundRobin(
      [member('C1', ['t1', 't0']), member('C0', ['t0', 't1'])],
      partitions({ t1: 3, t0: 3 }),
    );
    expect(shown(result)).toEqual({
      C0: ['t0p0', 't0p2', 't1p1'],
      C1: ['t0p1', 't1p0', 't1p2'],
    });
  });

  it('Javadoc: unequal subscriptions, a member passed over for a topic it does not read', () => {
    const result = assignRoundRobin(
      [member('C0', ['t0']), member('C1', ['t0', 't1']), member('C2', ['t0', 't1', 't2'])],
      partitions({ t0: 1, t1: 2, t2: 3 }),
    );
    expect(shown(result)).toEqual({
      C0: ['t0p0'],
      C1: ['t1p0'],
      C2: ['t1p1', 't2p0', 't2p1', 't2p2'],
    });
  });

  it('6 partitions over 4 members: dealt in turn', () => {
    const result = assignRoundRobin(
      ['m3', 'm1', 'm0', 'm2'].map((id) => member(id, ['t'])),
      partitions({ t: 6 }),
    );
    expect(shown(result)).toEqual({
      m3: ['tp3'],
      m1: ['tp1', 'tp5'],
      m0: ['tp0', 'tp4'],
      m2: ['tp2'],
    });
  });

  it('more members than partitions: every member has an entry, the last ones empty', () => {
    const result = assignRoundRobin(
      ['a', 'b', 'c'].map((id) => member(id, ['t'])),
      partitions({ t: 2, other: 4 }),
    );
    expect(shown(result)).toEqual({ a: ['tp0'], b: ['tp1'], c: [] });
  });

  it('deals topics by name, whatever order subscriptions and metadata list them in', () => {
    const result = assignRoundRobin(
      [member('x', ['b', 'a']), member('y', ['a', 'b'])],
      partitions({ b: 1, a: 3 }),
    );
    expect(shown(result)).toEqual({ x: ['ap0', 'ap2'], y: ['ap1', 'bp0'] });
  });

  it('puts static members first, by group instance id, as Java MemberInfo does', () => {
    const result = assignRoundRobin(
      [member('a', ['t']), member('z', ['t'], 'i-2'), member('y', ['t'], 'i-1')],
      partitions({ t: 4 }),
    );
    expect(shown(result)).toEqual({ a: ['tp2'], z: ['tp1'], y: ['tp0', 'tp3'] });
  });
});
