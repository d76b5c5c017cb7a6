import { AssignerProtocol, PartitionAssigners, type Cluster } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { partitionMetadata as metadata } from '../kafka-fakes';
import { toKafkaJsPartitionAssigners } from '../../../../../lib/transports/kafka/assigners/kafkajs-partition-assigners';

/** A cluster whose metadata holds `known`; `addMultipleTargetTopics` brings in `later`. */
function fakeCluster(
  known: Record<string, number>,
  later: Record<string, number> = {},
): Cluster & { added: string[][] } {
  const topics = new Map(Object.entries(known));
  const added: string[][] = [];
  return {
    added,
    findTopicPartitionMetadata: (topic: string) => metadata(topics.get(topic) ?? 0),
    addMultipleTargetTopics: async (wanted: string[]) => {
      added.push(wanted);
      for (const topic of wanted) if (later[topic]) topics.set(topic, later[topic]);
    },
  } as unknown as Cluster & { added: string[][] };
}

const create = (name: 'range' | 'roundrobin', cluster: Cluster) =>
  toKafkaJsPartitionAssigners([name])[0]({ cluster, groupId: 'g', logger: undefined as never });

const subscription = (topics: string[]) =>
  AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) });

/**
 * A ConsumerProtocol subscription as the Java client 4.x writes it: version 3, topics, null
 * user data, owned partitions, generation id, rack id (null).
 */
function javaSubscriptionV3(topics: string[]): Buffer {
  const parts: Buffer[] = [];
  const int16 = (value: number) => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(value);
    parts.push(b);
  };
  const int32 = (value: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    parts.push(b);
  };
  const string = (value: string) => {
    int16(Buffer.byteLength(value));
    parts.push(Buffer.from(value));
  };
  int16(3);
  int32(topics.length);
  topics.forEach(string);
  int32(-1); // user data: null
  int32(1); // owned partitions: one topic
  string(topics[0]);
  int32(1);
  int32(0);
  int32(7); // generation id
  int16(-1); // rack id: null
  return Buffer.concat(parts);
}

const decoded = (assignment: { memberId: string; memberAssignment: Buffer }[]) =>
  Object.fromEntries(
    assignment.map(({ memberId, memberAssignment }) => [
      memberId,
      AssignerProtocol.MemberAssignment.decode(memberAssignment)?.assignment,
    ]),
  );

describe('toKafkaJsPartitionAssigners', () => {
  it('offers the strategies under the names every other client uses, in the order given', () => {
    const cluster = fakeCluster({});
    const names = toKafkaJsPartitionAssigners(['roundrobin', 'range', 'kafkajs-roundrobin']).map(
      (assigner) => assigner({ cluster, groupId: 'g', logger: undefined as never }).name,
    );
    expect(names).toEqual(['roundrobin', 'range', 'RoundRobinAssigner']);
    expect(toKafkaJsPartitionAssigners(['kafkajs-roundrobin'])[0]).toBe(
      PartitionAssigners.roundRobin,
    );
  });

  it('announces a standard version 0 subscription: the topics and empty user data', () => {
    const { name, metadata: bytes } = create('range', fakeCluster({})).protocol({ topics: ['t'] });
    expect(name).toBe('range');
    // int16 version 0, int32 one topic, int16 length 1, "t", int32 empty user data.
    expect(bytes.toString('hex')).toBe('0000' + '00000001' + '0001' + '74' + '00000000');
  });

  it('as leader, reads a Java v3 subscription and assigns range over every member, Java too', async () => {
    const assigner = create('range', fakeCluster({ t: 6 }));
    const result = await assigner.assign({
      members: [
        { memberId: 'nest-b', memberMetadata: subscription(['t']) },
        { memberId: 'java-a', memberMetadata: javaSubscriptionV3(['t']) },
      ],
      topics: ['t'],
    });
    expect(decoded(result)).toEqual({ 'nest-b': { t: [3, 4, 5] }, 'java-a': { t: [0, 1, 2] } });
    for (const { memberAssignment } of result) {
      expect(AssignerProtocol.MemberAssignment.decode(memberAssignment)?.version).toBe(0);
    }
  });

  it('sends a member left without partitions an empty assignment, not nothing', async () => {
    const assigner = create('roundrobin', fakeCluster({ t: 1 }));
    const result = await assigner.assign({
      members: ['a', 'b'].map((memberId) => ({ memberId, memberMetadata: subscription(['t']) })),
      topics: ['t'],
    });
    expect(result.map(({ memberId }) => memberId)).toEqual(['a', 'b']);
    expect(decoded(result)).toEqual({ a: { t: [0] }, b: {} });
    // int16 version, int32 no topic, int32 empty user data: what the Java client can read.
    expect(result[1].memberAssignment.toString('hex')).toBe('0000' + '00000000' + '00000000');
  });

  it("fetches the metadata of a topic only another member reads, and skips one that doesn't exist", async () => {
    const cluster = fakeCluster({ mine: 2 }, { theirs: 2 });
    const assigner = create('roundrobin', cluster);
    const result = await assigner.assign({
      members: [
        { memberId: 'me', memberMetadata: subscription(['mine']) },
        { memberId: 'peer', memberMetadata: javaSubscriptionV3(['theirs', 'nowhere']) },
      ],
      topics: ['mine'],
    });
    expect(cluster.added).toEqual([['theirs', 'nowhere']]);
    expect(decoded(result)).toEqual({ me: { mine: [0, 1] }, peer: { theirs: [0, 1] } });
  });

  it('orders static members (JoinGroup v5 instance ids) first, as Java does', async () => {
    const assigner = create('range', fakeCluster({ t: 2 }));
    const result = await assigner.assign({
      members: [
        { memberId: 'a', memberMetadata: subscription(['t']) },
        { memberId: 'z', memberMetadata: subscription(['t']), groupInstanceId: 'static-1' },
      ] as never,
      topics: ['t'],
    });
    expect(decoded(result)).toEqual({ a: { t: [1] }, z: { t: [0] } });
  });
});
