import { describe, expect, it } from 'vitest';
import { assignRange } from '../../../../../lib/transports/kafka/assigners/range.assigner';
import { member, partitions, shownSorted } from './assigner-layouts';

/**
 * Expected results are the Java client's `RangeAssignor` (kafka-clients, no racks): the layouts
 * of its Javadoc and of `RangeAssignorTest`, and a few worked by its rule (per topic, members by
 * id, `floor(n / m)` each and one more for the first `n % m`).
 */
describe('assignRange (the Java RangeAssignor)', () => {
  it('Javadoc: C0 and C1 on t0 and t1 of 3 partitions each', () => {
    const result = assignRange(
      [member('C1', ['t0', 't1']), member('C0', ['t0', 't1'])],
      partitions({ t0: 3, t1: 3 }),
    );
    expect(shownSorted(result)).toEqual({
      C1: ['t0p2', 't1p2'],
      C0: ['t0p0', 't0p1', 't1p0', 't1p1'],
    });
  });

  it.each([
    [
      6,
      2,
      [
        ['p0', 'p1', 'p2'],
        ['p3', 'p4', 'p5'],
      ],
    ],
    [6, 4, [['p0', 'p1'], ['p2', 'p3'], ['p4'], ['p5']]],
    [
      7,
      3,
      [
        ['p0', 'p1', 'p2'],
        ['p3', 'p4'],
        ['p5', 'p6'],
      ],
    ],
    [2, 3, [['p0'], ['p1'], []]],
  ])(
    '%i partitions over %i members: consecutive ranges, the extra ones to the first',
    (n, m, expected) => {
      const members = Array.from({ length: m }, (_, index) => member(`consumer-${index}`, ['t']));
      const result = shownSorted(assignRange(members.reverse(), partitions({ t: n })));
      expect(expected.map((_, index) => result[`consumer-${index}`])).toEqual(
        expected.map((given) => given.map((p) => `t${p}`)),
      );
    },
  );

  it('RangeAssignorTest mixed subscriptions: only the members subscribed to a topic share it', () => {
    const result = assignRange(
      [
        member('consumer1', ['topic1']),
        member('consumer2', ['topic1', 'topic2']),
        member('consumer3', ['topic1']),
      ],
      partitions({ topic1: 3, topic2: 2 }),
    );
    expect(shownSorted(result)).toEqual({
      consumer1: ['topic1p0'],
      consumer2: ['topic1p1', 'topic2p0', 'topic2p1'],
      consumer3: ['topic1p2'],
    });
  });

  it('gives every member an entry, and leaves out a topic the leader has no metadata for', () => {
    const result = assignRange(
      [member('a', ['t']), member('b', ['t', 'gone']), member('c', ['t'])],
      partitions({ t: 2 }),
    );
    expect(shownSorted(result)).toEqual({ a: ['tp0'], b: ['tp1'], c: [] });
  });

  it('orders member ids as Java compares strings (code units: upper case before lower case)', () => {
    const result = assignRange([member('b', ['t']), member('B', ['t'])], partitions({ t: 3 }));
    expect(shownSorted(result)).toEqual({ B: ['tp0', 'tp1'], b: ['tp2'] });
  });

  it('puts static members first, by group instance id, as Java MemberInfo does', () => {
    const result = assignRange(
      [member('a', ['t']), member('z', ['t'], 'instance-2'), member('y', ['t'], 'instance-1')],
      partitions({ t: 3 }),
    );
    expect(shownSorted(result)).toEqual({ y: ['tp0'], z: ['tp1'], a: ['tp2'] });
  });

  it('sorts partition ids the metadata lists in any order', () => {
    const result = assignRange(
      [member('m1', ['t']), member('m2', ['t'])],
      new Map([['t', [3, 0, 2, 1]]]),
    );
    expect(shownSorted(result)).toEqual({ m1: ['tp0', 'tp1'], m2: ['tp2', 'tp3'] });
  });
});
