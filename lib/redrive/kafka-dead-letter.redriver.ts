import type { Consumer, IHeaders, KafkaMessage } from 'kafkajs';
import {
  KAFKA_DEAD_LETTER_HEADERS,
  KAFKA_TRUNCATED_DEAD_LETTER_HEADERS,
} from '../transports/kafka/consumer/kafka-consumer.constants';
import type { KafkaClient } from '../transports/kafka/kafka.client';
import { kafkaHeaderText } from '../transports/kafka/consumer/kafka-inbound-delivery';
import type { DeadLetter } from './dead-letter.interface';
import type { DeadLetterRedriver } from './dead-letter-redriver.interface';
import { describeDeadLetter } from './dead-letter-description';
import { filterMismatch } from './dead-letter-filter';
import type { ListDeadLettersOptions, RedriveOptions } from './redrive-options.interface';
import type { RedriveSummary } from './redrive-summary.interface';
import { DeadLetterListing, startRedriveRun } from './redrive-run';

/** Options of `new KafkaDeadLetterRedriver(...)`. */
export interface KafkaDeadLetterRedriverOptions {
  /**
   * The consumer group whose committed offsets are the redrive cursor: what lies before them
   * has been dealt with by an earlier run. Default `<dead-letter topic>.redrive`.
   */
  readonly groupId?: string;
  /** A run ends when no record came for this long although some were expected. Default 30000. */
  readonly idleTimeoutMs?: number;
}

const DEAD_LETTER_HEADER_NAMES: ReadonlySet<string> = new Set<string>([
  ...Object.values(KAFKA_DEAD_LETTER_HEADERS),
  ...Object.values(KAFKA_TRUNCATED_DEAD_LETTER_HEADERS),
]);

/** The records one run reads in a partition: from the cursor up to the end captured at start. */
interface PartitionRange {
  readonly start: bigint;
  readonly end: bigint;
}

type Answer = 'next' | 'stop';

/**
 * Lists and redrives a Kafka dead-letter topic written by the Kafka consumer. A run reads the
 * topic in its own consumer group (`groupId`) from that group's committed offsets up to the
 * end offsets captured when it starts, so it ends, and never reads copies it wrote back to the
 * same topic. Each copy has the original key and value bytes and the original headers less
 * the `bus-*` ones; the group's offset is committed past a dead letter only once all in-sync
 * replicas stored its copy (or it was skipped), one record at a time. Nothing is deleted:
 * the dead-letter topic keeps every record until its retention.
 */
export class KafkaDeadLetterRedriver implements DeadLetterRedriver {
  readonly groupId: string;
  private readonly idleTimeoutMs: number;

  constructor(
    private readonly client: KafkaClient,
    readonly source: string,
    options: KafkaDeadLetterRedriverOptions = {},
  ) {
    this.groupId = options.groupId ?? `${source}.redrive`;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  }

  async count(): Promise<number> {
    let total = 0n;
    for (const range of (await this.ranges()).values()) total += range.end - range.start;
    return Number(total);
  }

  async list(options: ListDeadLettersOptions = {}): Promise<DeadLetter[]> {
    const listing = new DeadLetterListing(options);
    await this.visit(options.signal, false, async (letter) =>
      listing.take(letter) ? 'stop' : 'next',
    );
    return listing.found;
  }

  async redrive(options: RedriveOptions = {}): Promise<RedriveSummary> {
    const { tally, pacer, signal } = startRedriveRun(options);
    const commit = !options.dryRun;
    const interrupted = await this.visit(signal, commit, async (letter, message) => {
      if (tally.full) return 'stop';
      const mismatch = filterMismatch(letter, options.filter);
      if (mismatch !== undefined) {
        tally.record(letter, 'skipped', mismatch);
        return 'next';
      }
      if (letter.truncated) {
        tally.record(
          letter,
          'skipped',
          'truncated: the original is at its bus-original-* position',
        );
        return 'next';
      }
      const target = options.to ?? letter.origin;
      if (target === undefined) {
        tally.record(letter, 'skipped', `no ${KAFKA_DEAD_LETTER_HEADERS.originalTopic}: pass --to`);
        return 'next';
      }
      if (options.dryRun) {
        tally.record(letter, 'redriven');
        return 'next';
      }
      if (!(await pacer.wait(signal))) return 'stop';
      try {
        const producer = await this.client.producer();
        await producer.send({
          topic: target,
          acks: -1,
          messages: [{ key: message.key, value: message.value, headers: copyHeaders(message) }],
        });
      } catch (error) {
        // The cursor cannot pass a dead letter that was not copied: the run ends here.
        tally.record(letter, 'failed', `copy refused: ${(error as Error).message}`);
        return 'stop';
      }
      tally.record(letter, 'redriven');
      return 'next';
    });
    return tally.summary(interrupted);
  }

  /** Per partition with records to read: the cursor (or the log start) and the end offset now. */
  private async ranges(): Promise<Map<number, PartitionRange>> {
    const admin = this.client.createKafka('admin').admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(this.source);
      const [committed] = await admin.fetchOffsets({
        groupId: this.groupId,
        topics: [this.source],
      });
      const cursor = new Map<number, bigint>();
      for (const partition of committed?.partitions ?? []) {
        if (Number(partition.offset) >= 0)
          cursor.set(partition.partition, BigInt(partition.offset));
      }
      const ranges = new Map<number, PartitionRange>();
      for (const { partition, high, low } of ends) {
        const from = cursor.get(partition) ?? BigInt(low);
        const start = from > BigInt(low) ? from : BigInt(low);
        if (start < BigInt(high)) ranges.set(partition, { start, end: BigInt(high) });
      }
      return ranges;
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Reads every pending range once, in offset order per partition, handing each record to
   * `each`; with `commit`, commits past it when `each` answers `next`. Ends when every range
   * is read, `each` says stop, `signal` aborts (after the record in hand), or nothing came for
   * `idleTimeoutMs`. Resolves whether the signal ended it.
   */
  private async visit(
    signal: AbortSignal | undefined,
    commit: boolean,
    each: (letter: DeadLetter, message: KafkaMessage) => Promise<Answer>,
  ): Promise<boolean> {
    const pending = await this.ranges();
    if (pending.size === 0 || signal?.aborted) return signal?.aborted ?? false;

    const consumer = this.client.createKafka('consumer').consumer({
      groupId: this.groupId,
      allowAutoTopicCreation: false,
    });
    let over = false;
    let failure: Error | undefined;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const end = (): void => {
      over = true;
      finish();
    };
    let idle: NodeJS.Timeout | undefined;
    const touch = (): void => {
      clearTimeout(idle);
      idle = setTimeout(end, this.idleTimeoutMs);
    };
    let inHand: Promise<void> = Promise.resolve();
    const onAbort = (): void => end();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.source], fromBeginning: true });
      touch();
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          if (over || signal?.aborted) return end();
          touch();
          const range = pending.get(partition);
          const offset = BigInt(message.offset);
          if (range === undefined || offset < range.start) return;
          if (offset >= range.end) return this.partitionRead(consumer, pending, partition, end);
          let answer: Answer = 'stop';
          const work = (async () => {
            answer = await each(toDeadLetter(partition, message), message);
            if (answer === 'next' && commit) {
              await consumer.commitOffsets([
                { topic: this.source, partition, offset: String(offset + 1n) },
              ]);
            }
          })();
          inHand = work.catch(() => undefined);
          try {
            await work;
          } catch (error) {
            failure = error instanceof Error ? error : new Error(String(error));
            return end();
          }
          if (answer === 'stop') return end();
          if (offset + 1n >= range.end) this.partitionRead(consumer, pending, partition, end);
        },
      });
      await finished;
      await inHand;
    } finally {
      clearTimeout(idle);
      signal?.removeEventListener('abort', onAbort);
      await consumer.disconnect().catch(() => undefined);
    }
    if (failure !== undefined) throw failure;
    return signal?.aborted ?? false;
  }

  private partitionRead(
    consumer: Consumer,
    pending: Map<number, PartitionRange>,
    partition: number,
    end: () => void,
  ): void {
    pending.delete(partition);
    consumer.pause([{ topic: this.source, partitions: [partition] }]);
    if (pending.size === 0) end();
  }
}

/** The original headers of a dead letter: every one but the dead-letter headers. */
function copyHeaders(message: KafkaMessage): IHeaders {
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (value !== undefined && !DEAD_LETTER_HEADER_NAMES.has(name)) headers[name] = value;
  }
  return headers;
}

function toDeadLetter(partition: number, message: KafkaMessage): DeadLetter {
  const busHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const text = name.startsWith('bus-') ? kafkaHeaderText(value) : undefined;
    if (text !== undefined) busHeaders[name] = text;
  }
  const names = KAFKA_DEAD_LETTER_HEADERS;
  return describeDeadLetter({
    id: `${partition}:${message.offset}`,
    partition,
    offset: message.offset,
    busHeaders,
    names: { reason: names.reason, origin: names.originalTopic, failedAt: names.failedAt },
    storedAt: message.timestamp,
    body: message.value ?? Buffer.alloc(0),
    truncated: busHeaders[KAFKA_TRUNCATED_DEAD_LETTER_HEADERS.truncated] === 'true',
  });
}
