import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type {
  AssignmentFunction,
  GroupSubscription,
} from '../../../lib/transports/kafka/assigners/group-subscription';
import { assignRange } from '../../../lib/transports/kafka/assigners/range.assigner';
import { assignRoundRobin } from '../../../lib/transports/kafka/assigners/round-robin.assigner';
import { runJavaPeer } from '../../support/java-peer';

const SOURCE = resolve(__dirname, 'peers/AssignorResults.java');
const LAYOUTS = 60;

interface Layout {
  readonly partitionsPerTopic: Map<string, number[]>;
  readonly subscriptions: GroupSubscription[];
}

/** A small deterministic generator, so that a failure can be replayed. */
function generator(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
}

/**
 * Groups as they come: up to 4 topics of 1 to 12 partitions, up to 7 members with ids in the
 * shapes the clients make (upper and lower case, digits, dashes), each reading some of the
 * topics, a few of them static members, now and then one reading a topic that does not exist.
 */
function layouts(count: number): Layout[] {
  const random = generator(20_261_201);
  const id = (): string => {
    const prefixes = ['nestjs-message-bus-', 'rdkafka-', 'kafka-python-', 'Java-', 'consumer-'];
    const chars = 'abcdefABCDEF0123456789-';
    let suffix = '';
    for (let i = 0; i < 6; i++) suffix += chars[random(chars.length)];
    return `${prefixes[random(prefixes.length)]}${suffix}`;
  };
  return Array.from({ length: count }, () => {
    const topics = Array.from({ length: 1 + random(4) }, (_, index) => `topic-${index}`).reverse();
    const partitionsPerTopic = new Map(
      topics.map((topic) => [topic, [...Array(1 + random(12)).keys()]]),
    );
    const subscriptions = Array.from({ length: 1 + random(7) }, () => {
      const read = topics.filter(() => random(3) > 0);
      if (read.length === 0) read.push(topics[random(topics.length)]);
      if (random(10) === 0) read.push('topic-missing');
      return {
        memberId: id(),
        groupInstanceId: random(5) === 0 ? `instance-${random(100)}` : undefined,
        topics: read,
      };
    });
    return { partitionsPerTopic, subscriptions };
  });
}

function asInput({ partitionsPerTopic, subscriptions }: Layout): string {
  const lines = [
    ...[...partitionsPerTopic].map(([topic, ids]) => `topic ${topic} ${ids.length}`),
    ...subscriptions.map(
      ({ memberId, groupInstanceId, topics }) =>
        `member ${memberId} ${groupInstanceId ?? '-'} ${topics.join(',')}`,
    ),
    'end',
  ];
  return `${lines.join('\n')}\n`;
}

type Results = Record<'range' | 'roundrobin', Record<string, string[]>>;

/** What the Java client's assignors give each layout. */
async function javaResults(all: readonly Layout[]): Promise<Results[]> {
  const output = await runJavaPeer(SOURCE, 'AssignorResults', [], all.map(asInput).join(''));
  const results: Results[] = [];
  let current: Results = { range: {}, roundrobin: {} };
  for (const line of output.split('\n')) {
    if (line === '') continue;
    if (line === 'end') {
      results.push(current);
      current = { range: {}, roundrobin: {} };
      continue;
    }
    const [strategy, memberId, partitions] = line.split('\t');
    current[strategy as keyof Results][memberId] = partitions === '' ? [] : partitions.split(',');
  }
  return results;
}

function ours(assign: AssignmentFunction, layout: Layout): Record<string, string[]> {
  const result = assign(layout.subscriptions, layout.partitionsPerTopic);
  return Object.fromEntries(
    [...result].map(([memberId, given]) => [
      memberId,
      given.map(({ topic, partition }) => `${topic}:${partition}`),
    ]),
  );
}

const sortedEach = (results: Record<string, string[]>): Record<string, string[]> =>
  Object.fromEntries(Object.entries(results).map(([member, given]) => [member, [...given].sort()]));

describe("range and roundrobin give what the Java client's assignors give", () => {
  it(`on ${LAYOUTS} generated group layouts`, async () => {
    const all = layouts(LAYOUTS);
    const java = await javaResults(all);
    expect(java).toHaveLength(LAYOUTS);
    all.forEach((layout, index) => {
      const where = `layout ${index}: ${asInput(layout)}`;
      // Range deals topic by topic, in no order Java fixes: compare each member's set.
      expect(sortedEach(ours(assignRange, layout)), where).toEqual(sortedEach(java[index].range));
      // Round robin deals in one fixed order: compare the lists themselves.
      expect(ours(assignRoundRobin, layout), where).toEqual(java[index].roundrobin);
    });
  });
});
