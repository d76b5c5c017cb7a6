import { toKafkaJsPartitionAssigners } from './assigners/kafkajs-partition-assigners';
import type { KafkaConnections } from './kafka-connections';
import { toKafkaConsumerError } from './kafka-error-mapping';
import { KafkaPullConsumer } from './kafka-pull-consumer';
import { KAFKA_MAX_BYTES_PER_PARTITION } from './kafka.constants';

/** One pull consumer of a (topic, group), from the first `receiveMessage` for it. */
export interface KafkaPullConsumerEntry {
  readonly topic: string;
  readonly groupId: string;
  /** Resolves once the consumer joined its group; rejects with a typed error when it could not. */
  readonly ready: Promise<KafkaPullConsumer>;
  /** Set once `ready` resolved. */
  consumer?: KafkaPullConsumer;
}

/**
 * The pull consumers of one `KafkaClient`, one per (topic, group), created and started on
 * first use. A consumer that failed to start, or stopped for good, is forgotten, so that the
 * next call for its (topic, group) starts a fresh one.
 */
export class KafkaPullConsumers {
  private readonly entries = new Map<string, KafkaPullConsumerEntry>();

  constructor(private readonly connections: KafkaConnections) {}

  /** The entry of (topic, group), starting its consumer when there is none. */
  entryFor(topic: string, groupId: string): KafkaPullConsumerEntry {
    const id = idOf(topic, groupId);
    const existing = this.entries.get(id);
    if (existing) return existing;
    const { settings, errorContext } = this.connections;
    const consumer = new KafkaPullConsumer(
      this.connections.shared('consumer').consumer({
        groupId,
        sessionTimeout: settings.sessionTimeoutMs,
        heartbeatInterval: settings.heartbeatIntervalMs,
        maxWaitTimeInMs: settings.maxWaitTimeMs,
        maxBytesPerPartition: KAFKA_MAX_BYTES_PER_PARTITION,
        partitionAssigners: toKafkaJsPartitionAssigners(settings.partitionAssigners),
      }),
      topic,
      groupId,
      settings.receiveBufferSize,
    );
    const entry: KafkaPullConsumerEntry = {
      topic,
      groupId,
      ready: consumer.start().then(
        () => {
          entry.consumer = consumer;
          return consumer;
        },
        async (error: unknown) => {
          this.forget(entry);
          // Also cancels the restart kafkajs may have scheduled after a failed join.
          await consumer.close().catch(() => undefined);
          throw toKafkaConsumerError(error, topic, groupId, errorContext);
        },
      ),
    };
    this.entries.set(id, entry);
    return entry;
  }

  forget(entry: KafkaPullConsumerEntry): void {
    const id = idOf(entry.topic, entry.groupId);
    if (this.entries.get(id) === entry) this.entries.delete(id);
  }

  /** The started consumers reading `topic`, in `groupId` only when given. */
  startedOn(topic: string, groupId?: string): KafkaPullConsumer[] {
    return [...this.entries.values()]
      .filter(
        (entry) => entry.topic === topic && (groupId === undefined || entry.groupId === groupId),
      )
      .map((entry) => entry.consumer)
      .filter((consumer): consumer is KafkaPullConsumer => consumer !== undefined);
  }

  /**
   * Forgets every consumer and closes it (it leaves its group without committing anything).
   * One promise per consumer, for the caller to settle.
   */
  closeAll(): Promise<void>[] {
    const entries = [...this.entries.values()];
    this.entries.clear();
    return entries.map(async (entry) => {
      // A consumer that failed to start was already closed, and its caller told.
      const consumer = await entry.ready.catch(() => undefined);
      await consumer?.close();
    });
  }
}

function idOf(topic: string, groupId: string): string {
  return `${topic}\u0000${groupId}`;
}
