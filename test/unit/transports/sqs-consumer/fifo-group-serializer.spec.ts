import { describe, expect, it } from 'vitest';
import { FifoGroupSerializer } from '../../../../lib/transports/sqs/consumer/fifo-group-serializer';

describe('FifoGroupSerializer', () => {
  it('starts the first message of each group and holds back the rest of its group', () => {
    const groups = new FifoGroupSerializer<string>();

    expect(groups.offer('a', 'a1', '1')).toBe(true);
    expect(groups.offer('b', 'b1', '2')).toBe(true);
    expect(groups.offer('a', 'a2', '3')).toBe(false);
    expect(groups.offer('a', 'a3', '4')).toBe(false);

    expect(groups.waiting).toBe(2);
    expect(groups.running).toBe(2);
  });

  it('runs a group in order, one after the other, as each is deleted', () => {
    const groups = new FifoGroupSerializer<string>();
    groups.offer('a', 'a1', '10');
    groups.offer('a', 'a2', '11');
    groups.offer('a', 'a3', '12');

    expect(groups.settled('a', false)).toEqual({ next: 'a2', release: [] });
    expect(groups.settled('a', false)).toEqual({ next: 'a3', release: [] });
    expect(groups.settled('a', false)).toEqual({ release: [] });
    expect(groups.offer('a', 'a4', '13')).toBe(true);
  });

  it('hands back the later messages of a group whose message stays on the queue', () => {
    const groups = new FifoGroupSerializer<string>();
    groups.offer('a', 'a1', '1');
    groups.offer('b', 'b1', '2');
    groups.offer('a', 'a2', '3');
    groups.offer('a', 'a3', '4');
    groups.offer('b', 'b2', '5');

    expect(groups.settled('a', true)).toEqual({ release: ['a2', 'a3'] });
    // Other groups go on.
    expect(groups.settled('b', false)).toEqual({ next: 'b2', release: [] });
    expect(groups.waiting).toBe(0);
    // The group starts afresh when its messages come back.
    expect(groups.offer('a', 'a1', '1')).toBe(true);
  });

  it('orders waiting messages by sequence number, even when receives answer out of order', () => {
    const groups = new FifoGroupSerializer<string>();
    groups.offer('a', 'a1', '100000000000000000001');
    groups.offer('a', 'a3', '100000000000000000003');
    groups.offer('a', 'a2', '100000000000000000002');

    expect(groups.settled('a', false).next).toBe('a2');
    expect(groups.settled('a', false).next).toBe('a3');
  });

  it('drain() takes every waiting message out and leaves running ones to finish', () => {
    const groups = new FifoGroupSerializer<string>();
    groups.offer('a', 'a1');
    groups.offer('a', 'a2');
    groups.offer('b', 'b1');
    groups.offer('b', 'b2');

    expect(groups.drain().sort()).toEqual(['a2', 'b2']);
    expect(groups.waiting).toBe(0);
    expect(groups.settled('a', false)).toEqual({ release: [] });
  });
});
