/** What a consumer knows of one partition: the last offset it settled and the broker's high watermark at the last fetch. */
interface PartitionProgress {
  settled?: string;
  highWatermark?: string;
}

/**
 * Kafka consumer lag per partition of one consumer, from what it already has: the high
 * watermark each fetched batch carries and the offset of the last message it settled. No
 * broker call; a `Map` lookup per batch and per settled message.
 */
export class KafkaLagTable {
  private readonly partitions = new Map<number, PartitionProgress>();

  fetched(partition: number, highWatermark: string): void {
    const progress = this.partitions.get(partition);
    if (progress === undefined) this.partitions.set(partition, { highWatermark });
    else progress.highWatermark = highWatermark;
  }

  settled(partition: number, offset: string): void {
    const progress = this.partitions.get(partition);
    if (progress === undefined) this.partitions.set(partition, { settled: offset });
    else progress.settled = offset;
  }

  /** Messages behind, per partition, for those with both a fetch and a settled message. */
  lags(): Array<{ partition: number; lag: number }> {
    const lags: Array<{ partition: number; lag: number }> = [];
    for (const [partition, { settled, highWatermark }] of this.partitions) {
      if (settled === undefined || highWatermark === undefined) continue;
      const behind = BigInt(highWatermark) - BigInt(settled) - 1n;
      lags.push({ partition, lag: behind > 0n ? Number(behind) : 0 });
    }
    return lags;
  }
}

const tables = new Map<string, Set<KafkaLagTable>>();

const keyOf = (groupId: string, topic: string): string => `${groupId}\u0000${topic}`;

/** Registers a consumer's table under its group and topic; returns the call that removes it. */
export function registerKafkaLagTable(
  groupId: string,
  topic: string,
  table: KafkaLagTable,
): () => void {
  const key = keyOf(groupId, topic);
  let set = tables.get(key);
  if (set === undefined) tables.set(key, (set = new Set()));
  set.add(table);
  return () => {
    set.delete(table);
    if (set.size === 0) tables.delete(key);
  };
}

/**
 * The high watermark of a batch the Kafka consumer fetched: called once per batch by the
 * consumer. A no-op (one `size` check) while no table is registered, i.e. without metrics.
 */
export function noteKafkaHighWatermark(
  { groupId, topic }: { readonly groupId: string; readonly topic: string },
  { partition, highWatermark }: { readonly partition: number; readonly highWatermark: string },
): void {
  if (tables.size === 0) return;
  const set = tables.get(keyOf(groupId, topic));
  if (set === undefined) return;
  for (const table of set) table.fetched(partition, highWatermark);
}
