import type {
  Consumer,
  ConsumerRunConfig,
  EachBatchPayload,
  KafkaMessage,
  PartitionMetadata,
} from 'kafkajs';

/** The metadata of a topic's `count` partitions, all led by broker 1. */
export const partitionMetadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    partitionErrorCode: 0,
  }));

type Listener = (event: { payload: unknown }) => void;

const EVENTS = {
  GROUP_JOIN: 'consumer.group_join',
  REBALANCING: 'consumer.rebalancing',
  CRASH: 'consumer.crash',
  COMMIT_OFFSETS: 'consumer.commit_offsets',
} as const;

/**
 * Stands in for a kafkajs consumer: records what the pull consumer asks of it, and lets a
 * test play the broker's part (deliver batches, join, rebalance, crash) the way kafkajs's
 * runner would, including its resolved-offset bookkeeping.
 */
export class FakeKafkaConsumer {
  readonly events = EVENTS;
  readonly listeners = new Map<string, Set<Listener>>();
  runConfig?: ConsumerRunConfig;
  subscribed?: unknown;
  /** Per partition, kafkajs's fetch position: the offset after the last one resolved. */
  readonly position = new Map<number, number>();
  readonly paused = new Set<number>();
  readonly resumed: unknown[] = [];
  readonly commits: Array<{ topic: string; partition: number; offset: string }> = [];
  /** When false, commitOffsets returns quietly without committing, as kafkajs does once its runner stopped. */
  confirmCommits = true;
  commitFailure?: Error;
  commitDelayMs = 0;
  /** What the first run() does: join with these partitions, or crash. */
  onRun: { join: number[] } | { crash: Error; restart: boolean } = { join: [0] };
  connected = false;
  disconnects = 0;

  constructor(readonly topic: string) {}

  asConsumer(): Consumer {
    return this as unknown as Consumer;
  }

  on(event: string, listener: Listener): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(event, set);
    return () => set.delete(listener);
  }

  emit(event: string, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? []) listener({ payload });
  }

  async connect(): Promise<void> {
    this.connected = true;
  }

  async subscribe(subscription: unknown): Promise<void> {
    this.subscribed = subscription;
  }

  async run(config: ConsumerRunConfig): Promise<void> {
    this.runConfig = config;
    if ('join' in this.onRun) this.join(this.onRun.join);
    else
      this.emit(EVENTS.CRASH, {
        error: this.onRun.crash,
        restart: this.onRun.restart,
        groupId: 'g',
      });
  }

  /** A (re)join: kafkajs restarts every partition at the committed offset. */
  join(partitions: number[]): void {
    this.position.clear();
    for (const commit of this.commits) this.position.set(commit.partition, Number(commit.offset));
    this.emit(EVENTS.GROUP_JOIN, { memberAssignment: { [this.topic]: partitions } });
  }

  async commitOffsets(
    offsets: Array<{ topic: string; partition: number; offset: string }>,
  ): Promise<void> {
    if (this.commitDelayMs > 0)
      await new Promise((resolve) => setTimeout(resolve, this.commitDelayMs));
    if (this.commitFailure) throw this.commitFailure;
    if (!this.confirmCommits) return;
    this.commits.push(...offsets);
    this.emit(EVENTS.COMMIT_OFFSETS, {
      topics: offsets.map(({ topic, partition, offset }) => ({
        topic,
        partitions: [{ partition, offset }],
      })),
    });
  }

  resume(topicPartitions: Array<{ topic: string; partitions?: number[] }>): void {
    this.resumed.push(topicPartitions);
    for (const { partitions } of topicPartitions) {
      if (partitions === undefined) this.paused.clear();
      else for (const partition of partitions) this.paused.delete(partition);
    }
  }

  async disconnect(): Promise<void> {
    this.disconnects += 1;
  }

  /**
   * Plays one fetch of `partition`: the records from kafkajs's position up to `end` (exclusive),
   * through eachBatch, unless the partition is paused. Returns the offsets it offered.
   */
  async fetch(partition: number, end: number): Promise<number[]> {
    if (this.paused.has(partition)) return [];
    const start = this.position.get(partition) ?? 0;
    const offsets = Array.from({ length: Math.max(0, end - start) }, (_, index) => start + index);
    if (offsets.length === 0) return [];
    await this.runConfig?.eachBatch?.({
      batch: {
        topic: this.topic,
        partition,
        highWatermark: String(end),
        messages: offsets.map((offset) => record(offset)),
      },
      resolveOffset: (offset: string) => this.position.set(partition, Number(offset) + 1),
      pause: () => {
        this.paused.add(partition);
        return () => this.paused.delete(partition);
      },
      heartbeat: async () => undefined,
      commitOffsetsIfNecessary: async () => undefined,
      uncommittedOffsets: () => ({ topics: [] }),
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload);
    return offsets;
  }
}

export function record(
  offset: number,
  value: string | null = `{"n": ${offset}}`,
  key: string | null = null,
): KafkaMessage {
  return {
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    timestamp: '1767225600000',
    attributes: 0,
    offset: String(offset),
    headers: {},
  };
}
