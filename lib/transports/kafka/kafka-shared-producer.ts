import type { Producer } from 'kafkajs';
import type { KafkaConnections } from './kafka-connections';
import { toKafkaConnectError } from './kafka-error-mapping';
import type { KafkaPartitionRecorder } from './kafka-partition-recorder';

/**
 * The one producer of a `KafkaClient`: idempotent, one request in flight, the configured
 * partitioner (`kafka.partitioner`) through the partition recorder. Connected on first use
 * and shared; a failed connect is forgotten, so that the next use tries again.
 */
export class KafkaSharedProducer {
  private ready?: Promise<Producer>;

  constructor(
    private readonly connections: KafkaConnections,
    private readonly partitions: KafkaPartitionRecorder,
  ) {}

  get(): Promise<Producer> {
    this.ready ??= this.connect();
    return this.ready;
  }

  /** Disconnects the producer, if one was connected (or is connecting). */
  async disconnect(): Promise<void> {
    const producer = this.ready;
    this.ready = undefined;
    const ready = await producer?.catch(() => undefined);
    await ready?.disconnect();
  }

  private async connect(): Promise<Producer> {
    const producer = this.connections.shared('producer').producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: this.partitions.createPartitioner,
      retry: { retries: this.connections.settings.sendRetries },
    });
    try {
      await producer.connect();
      return producer;
    } catch (error) {
      this.ready = undefined;
      await producer.disconnect().catch(() => undefined);
      throw toKafkaConnectError(error, this.connections.errorContext);
    }
  }
}
