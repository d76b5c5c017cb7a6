import type { TestingModule } from '@nestjs/testing';
import { AssignerProtocol } from 'kafkajs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaPartitionAssigner } from '../../../lib/transports/kafka/kafka-client-options.interface';
import type { AssignmentFunction } from '../../../lib/transports/kafka/assigners/group-subscription';
import { assignRange } from '../../../lib/transports/kafka/assigners/range.assigner';
import { assignRoundRobin } from '../../../lib/transports/kafka/assigners/round-robin.assigner';
import {
  createTopics,
  payment,
  rawKafka,
  startBusApp,
  uniqueName,
  waitUntil,
} from '../runtime/kafka/kafka-runtime-kit';
import { assertKcatInstalled, plaintextClient } from './kafka-test-support';
import {
  GroupPeer,
  killAllPeers,
  type HandledRecord,
  type PeerKind,
  type PeerStrategy,
} from './group-peers';

const PARTITIONS = 6;
const PER_PARTITION = 10;
const NEST_CLIENT_ID = 'nestjs-message-bus';
const STABLE_TIMEOUT_MS = 45_000;
const STRATEGIES: Record<PeerStrategy, AssignmentFunction> = {
  range: assignRange,
  roundrobin: assignRoundRobin,
};

/** One member as the group coordinator describes it, its metadata and assignment decoded. */
interface DescribedMember {
  readonly memberId: string;
  readonly clientId: string;
  readonly topics: readonly string[];
  readonly partitions: readonly number[];
}

interface DescribedGroup {
  readonly state: string;
  readonly protocol: string;
  readonly members: readonly DescribedMember[];
}

async function describeGroup(groupId: string, topic: string): Promise<DescribedGroup> {
  const admin = rawKafka().admin();
  await admin.connect();
  try {
    const {
      groups: [group],
    } = await admin.describeGroups([groupId]);
    return {
      state: group.state,
      protocol: group.protocol,
      members: group.members.map((member) => ({
        memberId: member.memberId,
        clientId: member.clientId,
        topics:
          member.memberMetadata.length > 0
            ? (AssignerProtocol.MemberMetadata.decode(member.memberMetadata)?.topics ?? [])
            : [],
        partitions: [
          ...((member.memberAssignment.length > 0
            ? AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment[topic]
            : undefined) ?? []),
        ].sort((a, b) => a - b),
      })),
    };
  } finally {
    await admin.disconnect();
  }
}

/** The Nest app consuming `topic` in `groupId`, recording each record it handled. */
async function startNest(
  topic: string,
  groupId: string,
  partitionAssigners?: KafkaPartitionAssigner[],
): Promise<{ app: TestingModule; handled: HandledRecord[] }> {
  const handled: HandledRecord[] = [];
  const app = await startBusApp({
    consumer: { topic, groupId, partitionAssigners },
    kafka: { consumerId: NEST_CLIENT_ID },
    shutdownTimeoutMs: 5_000,
    behaviour: (_payment, context) => {
      const delivery = context.getDelivery();
      handled.push({ partition: delivery.partition as number, offset: Number(delivery.offset) });
    },
  });
  return { app, handled };
}

/**
 * Waits until the group is stable with `clientIds` as its members, every partition owned by
 * exactly one of them, and the peer's own view of its partitions the coordinator's.
 */
async function stableSplit(
  groupId: string,
  topic: string,
  clientIds: readonly string[],
  peer?: GroupPeer,
): Promise<DescribedGroup> {
  let group: DescribedGroup | undefined;
  const deadline = Date.now() + STABLE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    group = await describeGroup(groupId, topic);
    const owned = group.members.flatMap((member) => member.partitions).sort((a, b) => a - b);
    const peerMember = group.members.find((member) => member.clientId !== NEST_CLIENT_ID);
    if (
      group.state === 'Stable' &&
      [...group.members.map((member) => member.clientId)].sort().join() ===
        [...clientIds].sort().join() &&
      owned.join() === [...Array(PARTITIONS).keys()].join() &&
      (!peer || peer.assigned?.join() === peerMember?.partitions.join())
    ) {
      return group;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `group ${groupId} did not settle on ${clientIds.join(' + ')}: ${JSON.stringify(group)}${peer ? `\n${peer.tail()}` : ''}`,
  );
}

/** What the standard strategy gives these members, by client id. */
function standardSplit(group: DescribedGroup, topic: string): Record<string, number[]> {
  const assign = STRATEGIES[group.protocol as PeerStrategy];
  expect(assign, `group protocol ${group.protocol}`).toBeDefined();
  const result = assign(
    group.members.map(({ memberId, topics }) => ({ memberId, topics })),
    new Map([[topic, [...Array(PARTITIONS).keys()]]]),
  );
  return Object.fromEntries(
    group.members.map(({ memberId, clientId }) => [
      clientId,
      (result.get(memberId) ?? []).map(({ partition }) => partition).sort((a, b) => a - b),
    ]),
  );
}

const splitOf = (group: DescribedGroup): Record<string, number[]> =>
  Object.fromEntries(group.members.map(({ clientId, partitions }) => [clientId, [...partitions]]));

/** `count` records per partition, each a PAYMENT envelope, on explicit partitions. */
async function produce(topic: string, batch: string, count = PER_PARTITION): Promise<void> {
  const producer = rawKafka().producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: PARTITIONS * count }, (_, index) => ({
        partition: index % PARTITIONS,
        value: payment(`${batch}-${index}`).serialize(),
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

const key = ({ partition, offset }: HandledRecord): string => `${partition}:${offset}`;

/** Every `partition:offset` of the first `perPartition` records of each partition. */
const allRecords = (perPartition: number): string[] =>
  [...Array(PARTITIONS).keys()]
    .flatMap((partition) =>
      [...Array(perPartition).keys()].map((offset) => `${partition}:${offset}`),
    )
    .sort();

const distinct = (...lists: HandledRecord[][]): Set<string> => new Set(lists.flat().map(key));

async function handledAll(
  perPartition: number,
  nest: HandledRecord[],
  peer: GroupPeer,
): Promise<void> {
  await waitUntil(
    () => distinct(nest, peer.handled).size >= PARTITIONS * perPartition,
    30_000,
    () =>
      `handled ${distinct(nest, peer.handled).size} of ${PARTITIONS * perPartition} (Nest ${nest.length}, ${peer.kind} ${peer.handled.length})\n${peer.tail()}`,
  );
}

/** Each handled only records of partitions it owned, none twice, and together all of them. */
function expectDisjointShares(
  split: Record<string, number[]>,
  peerClientId: string,
  nest: HandledRecord[],
  peer: GroupPeer,
): void {
  expect(new Set(nest.map(({ partition }) => partition))).toEqual(new Set(split[NEST_CLIENT_ID]));
  expect(new Set(peer.handled.map(({ partition }) => partition))).toEqual(
    new Set(split[peerClientId]),
  );
  expect(nest.length + peer.handled.length).toBe(PARTITIONS * PER_PARTITION);
  expect([...distinct(nest, peer.handled)].sort()).toEqual(allRecords(PER_PARTITION));
}

const PEER_CLIENT_IDS: Record<PeerKind, string> = {
  java: 'java-group-consumer',
  kcat: 'rdkafka',
  'kafka-python': 'kafka-python-group-consumer',
};

describe.each<PeerKind>(['java', 'kcat', 'kafka-python'])(
  'a consumer group shared with %s (6 partitions)',
  (kind) => {
    const peerClientId = PEER_CLIENT_IDS[kind];
    let apps: TestingModule[] = [];

    beforeAll(async () => {
      if (kind === 'kcat') await assertKcatInstalled();
    });

    afterEach(async () => {
      await killAllPeers();
      await Promise.all(apps.map((app) => app.close()));
      apps = [];
    });

    async function setUp(prefix: string): Promise<{ topic: string; groupId: string }> {
      const topic = uniqueName(`mixed-${kind}-${prefix}`);
      await createTopics(topic, PARTITIONS);
      return { topic, groupId: uniqueName(`mixed-${kind}-${prefix}-group`) };
    }

    /** The peer alone in a new group on a new topic, once it owns every partition. */
    async function peerAlone(
      prefix: string,
      strategy?: PeerStrategy,
    ): Promise<{ topic: string; groupId: string; peer: GroupPeer }> {
      const { topic, groupId } = await setUp(prefix);
      const peer = await GroupPeer.start(kind, { topic, groupId, strategy });
      await stableSplit(groupId, topic, [peerClientId], peer);
      return { topic, groupId, peer };
    }

    /** The Nest app joining the peer's group, and the group once it is stable with both. */
    async function nestJoins(
      { topic, groupId, peer }: { topic: string; groupId: string; peer: GroupPeer },
      partitionAssigners?: KafkaPartitionAssigner[],
    ): Promise<{ nest: HandledRecord[]; group: DescribedGroup }> {
      const { app, handled } = await startNest(topic, groupId, partitionAssigners);
      apps.push(app);
      const group = await stableSplit(groupId, topic, [peerClientId, NEST_CLIENT_ID], peer);
      return { nest: handled, group };
    }

    /** Both members handle the records of their own partitions only, none twice, all of them. */
    async function expectSharesOf(
      label: string,
      topic: string,
      group: DescribedGroup,
      nest: HandledRecord[],
      peer: GroupPeer,
    ): Promise<void> {
      const split = splitOf(group);
      expect(split).toEqual(standardSplit(group, topic));
      await produce(topic, label);
      await handledAll(PER_PARTITION, nest, peer);
      expectDisjointShares(split, peerClientId, nest, peer);
      console.info(
        `[mixed group, ${label}] ${group.protocol}: Nest ${split[NEST_CLIENT_ID].join(',')} (${nest.length} records), ${kind} ${split[peerClientId].join(',')} (${peer.handled.length} records)`,
      );
    }

    it('Nest joins a group the peer is in: both offer range, the split is range, shares disjoint, none lost', async () => {
      const alone = await peerAlone('joins');
      const { nest, group } = await nestJoins(alone);
      expect(group.protocol).toBe('range');
      expect(splitOf(group)[NEST_CLIENT_ID]).toHaveLength(3);
      await expectSharesOf(`${kind} first`, alone.topic, group, nest, alone.peer);
    });

    it('the peer joins a group Nest is in: Nest, leading, deals range and the peer is not starved', async () => {
      const { topic, groupId } = await setUp('after');
      const { app, handled } = await startNest(topic, groupId);
      apps.push(app);
      await stableSplit(groupId, topic, [NEST_CLIENT_ID]);

      const peer = await GroupPeer.start(kind, { topic, groupId });
      const group = await stableSplit(groupId, topic, [peerClientId, NEST_CLIENT_ID], peer);
      expect(group.protocol).toBe('range');
      expect(splitOf(group)[peerClientId]).toHaveLength(3);
      await expectSharesOf(`Nest first, ${kind} after`, topic, group, handled, peer);
    });

    it('the peer leaves: the group rebalances, Nest takes over its partitions and nothing is lost', async () => {
      const alone = await peerAlone('leaves');
      const { topic, groupId, peer } = alone;
      const { nest, group } = await nestJoins(alone);
      const before = splitOf(group);

      await produce(topic, 'before', PER_PARTITION / 2);
      await handledAll(PER_PARTITION / 2, nest, peer);
      const handledByPeer = peer.handled.length;

      await peer.leave();
      const after = splitOf(await stableSplit(groupId, topic, [NEST_CLIENT_ID]));
      expect(after[NEST_CLIENT_ID]).toEqual([...Array(PARTITIONS).keys()]);
      await produce(topic, 'after', PER_PARTITION / 2);
      await handledAll(PER_PARTITION, nest, peer);

      expect([...distinct(nest, peer.handled)].sort()).toEqual(allRecords(PER_PARTITION));
      // Everything written after the peer left went to Nest, including the peer's old partitions.
      const late = nest.filter(({ offset }) => offset >= PER_PARTITION / 2);
      expect(distinct(late).size).toBe(PARTITIONS * (PER_PARTITION / 2));
      expect(new Set(late.map(({ partition }) => partition))).toEqual(
        new Set([...Array(PARTITIONS).keys()]),
      );
      const again = nest.length + peer.handled.length - PARTITIONS * PER_PARTITION;
      console.info(
        `[mixed group, ${kind} leaves] before: Nest ${before[NEST_CLIENT_ID].join(',')}, ${kind} ${before[peerClientId].join(',')} (${handledByPeer} records); after: Nest ${after[NEST_CLIENT_ID].join(',')}; ${again} record(s) handled twice`,
      );
    });

    it('KafkaClient.receiveMessage joins a group the peer is in: range, disjoint shares, none lost', async () => {
      const { topic, groupId, peer } = await peerAlone('pull');
      const client = plaintextClient({ sessionTimeoutMs: 6_000, heartbeatIntervalMs: 300 });
      try {
        const received: HandledRecord[] = [];
        let stopped = false;
        const receive = async (): Promise<void> => {
          const message = await client.receiveMessage(topic, { groupId, timeoutMs: 200 });
          if (message)
            received.push({ partition: message.partition, offset: Number(message.offset) });
        };
        await receive(); // joins the group
        const group = await stableSplit(groupId, topic, [peerClientId, NEST_CLIENT_ID], peer);
        expect(group.protocol).toBe('range');
        const receiving = (async () => {
          while (!stopped) await receive();
        })().catch(() => undefined);
        try {
          await expectSharesOf(`receiveMessage after ${kind}`, topic, group, received, peer);
        } finally {
          stopped = true;
          await receiving;
        }
      } finally {
        await client.close();
      }
    });

    if (kind === 'java') {
      it('a Java member offering only roundrobin: the group agrees on roundrobin and splits it as Java does', async () => {
        const alone = await peerAlone('roundrobin', 'roundrobin');
        const { nest, group } = await nestJoins(alone);
        expect(group.protocol).toBe('roundrobin');
        await expectSharesOf('java roundrobin', alone.topic, group, nest, alone.peer);
      });

      it("kafkajs's own RoundRobinAssigner alone (the old default) cannot join: start-up fails naming the setting", async () => {
        const alone = await peerAlone('old-default');
        const failure = await nestJoins(alone, ['kafkajs-roundrobin']).then(
          () => undefined,
          (error: unknown) => error as Error,
        );
        expect(failure?.message).toContain('INCONSISTENT_GROUP_PROTOCOL');
        expect(failure?.message).toContain('partitionAssigners');
        // The peer kept its partitions.
        const { topic, groupId, peer } = alone;
        const split = splitOf(await stableSplit(groupId, topic, [peerClientId], peer));
        expect(split[peerClientId]).toEqual([...Array(PARTITIONS).keys()]);
      });
    }
  },
);
