import type { Producer } from 'kafkajs';
import {
  committedOffsets,
  createTopics,
  kafkaOptions,
  rawKafka,
  readRecords,
  recordCount,
  uniqueName,
} from '../kafka/kafka-runtime-kit';
import type { SourceRole } from './delivery-scenarios';
import { ScenarioLedger } from './scenario-handlers';
import {
  SCENARIO_KAFKA_PARTITIONS as PARTITIONS,
  bootScenarioApp,
  closingOnce,
  scenarioConsumers,
  sourceName,
  type HarnessApp,
  type ObservedSettlement,
  type ScenarioSources,
  type SettlementSnapshot,
  type TransportHarness,
} from './scenario-harness';

interface SentRecord {
  readonly topic: string;
  readonly groupId: string;
  readonly partition: number;
  readonly offset: number;
}

/**
 * The scenario suite on real Kafka. What happened is read back from the broker: a record in
 * the dead-letter topic was dead-lettered (reason in its `bus-reason` header); one that is
 * not there while its group's committed offset is past it was acknowledged.
 */
export class KafkaHarness implements TransportHarness {
  readonly name = 'kafka';
  readonly ledger = new ScenarioLedger();
  /** The attempt count lives in the consuming process: a new app starts again at 1. */
  readonly attemptsSurviveRestart = false;
  private sources!: ScenarioSources;
  private producer?: Producer;
  private readonly sent = new Map<string, SentRecord>();

  waitedDelayMs(ms: number): number {
    return ms;
  }

  async prepare(): Promise<void> {
    const main = uniqueName('scenario-main');
    const strict = uniqueName('scenario-strict');
    this.sources = {
      main,
      strict,
      mainDeadLetter: `${main}.dlq`,
      strictDeadLetter: `${strict}.dlq`,
      mainGroup: `${main}-group`,
      strictGroup: `${strict}-group`,
    };
    await Promise.all([createTopics(main, PARTITIONS), createTopics(strict, PARTITIONS)]);
    this.producer = rawKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.producer.connect();
  }

  async startApp(shutdownTimeoutMs: number): Promise<HarnessApp> {
    const app = await bootScenarioApp(
      {
        transport: 'kafka',
        kafka: kafkaOptions(),
        consumers: scenarioConsumers('kafka', this.sources),
        shutdownTimeoutMs,
      },
      this.ledger,
    );
    return {
      send: (role, tag, body, lane) => this.send(role, tag, body, lane),
      close: closingOnce(() => app.close()),
    };
  }

  startSuccessor(): Promise<HarnessApp> {
    return this.startApp(10_000);
  }

  async whenSettled(timeoutMs: number): Promise<void> {
    let committed = await this.committed();
    const deadline = Date.now() + timeoutMs;
    while (![...this.sent.values()].every((record) => isCommitted(committed, record))) {
      if (Date.now() > deadline)
        throw new Error(
          `Timed out after ${timeoutMs} ms waiting for the scenario offsets to be committed`,
        );
      await new Promise((resolve) => setTimeout(resolve, 200));
      committed = await this.committed();
    }
  }

  async snapshot(): Promise<SettlementSnapshot> {
    const reasons = new Map<string, string>();
    for (const topic of [this.sources.mainDeadLetter, this.sources.strictDeadLetter]) {
      const count = await recordCount(topic);
      if (count === 0) continue;
      for (const record of await readRecords(topic, count)) {
        const value = record.value?.toString('utf8') ?? '';
        const tag = [...this.sent.keys()].find((sent) => value.includes(sent));
        if (tag !== undefined) reasons.set(tag, record.headers['bus-reason'] ?? '');
      }
    }
    const committed = await this.committed();
    const sent = new Map(this.sent);
    return {
      of: (tag): ObservedSettlement => {
        const reason = reasons.get(tag);
        if (reason !== undefined) return { action: 'dead-letter', reason };
        const record = sent.get(tag);
        return record && isCommitted(committed, record)
          ? { action: 'acknowledge' }
          : { action: 'none' };
      },
      sourcesDrained: [...sent.values()].every((record) => isCommitted(committed, record)),
    };
  }

  async dispose(): Promise<void> {
    await this.producer?.disconnect();
  }

  private async send(role: SourceRole, tag: string, body: string, lane: number): Promise<void> {
    const topic = sourceName(this.sources, role);
    const partition = lane % PARTITIONS;
    const [metadata] = await (this.producer as Producer).send({
      topic,
      acks: -1,
      messages: [{ value: body, partition }],
    });
    const groupId = role === 'main' ? this.sources.mainGroup : this.sources.strictGroup;
    this.sent.set(tag, { topic, groupId, partition, offset: Number(metadata.baseOffset) });
  }

  /** Committed offsets by `group|topic|partition`. */
  private async committed(): Promise<Map<string, number>> {
    const offsets = new Map<string, number>();
    const pairs: Array<[string, string]> = [
      [this.sources.mainGroup, this.sources.main],
      [this.sources.strictGroup, this.sources.strict],
    ];
    for (const [groupId, topic] of pairs) {
      for (const [partition, offset] of await committedOffsets(groupId, topic))
        offsets.set(`${groupId}|${topic}|${partition}`, offset);
    }
    return offsets;
  }
}

function isCommitted(committed: Map<string, number>, record: SentRecord): boolean {
  const key = `${record.groupId}|${record.topic}|${record.partition}`;
  return (committed.get(key) ?? -1) > record.offset;
}
