import type { Admin, Kafka } from 'kafkajs';
import { loadKafkaJs } from './kafkajs.loader';
import { kafkaErrorContextOf } from './consumer/kafka-error-context';
import { toKafkaConnectError } from './kafka-error-mapping';
import type { KafkaClient } from './kafka.client';

/** What a Kafka cluster answered about itself: nothing secret, nothing per message. */
export interface KafkaClusterSummary {
  readonly clusterId: string;
  readonly brokers: number;
  readonly controller: number | null;
}

/**
 * Asks the cluster of one `KafkaClient` for its metadata (`describeCluster`) on an admin
 * connection of its own, so that a health check never waits behind the consumers' or the
 * producer's requests. Each probe connects afresh, without retries, and disconnects when it
 * ends or `signal` aborts: a cluster that went away is seen at once, and nothing is cached.
 */
export class KafkaReachabilityProbe {
  private kafka?: Kafka;

  constructor(private readonly client: KafkaClient) {}

  /** The bootstrap servers the probe connects to (host:port, no credentials). */
  get brokers(): readonly string[] {
    return this.client.settings.brokers;
  }

  /** Resolves with the cluster's summary; rejects with a `MessageBusError` naming the brokers. */
  async probe(signal: AbortSignal): Promise<KafkaClusterSummary> {
    // No retries, connecting included (kafkajs retries a connect by the client's `retry`, not the admin's).
    this.kafka ??= new (loadKafkaJs().Kafka)({
      ...this.client.kafkaConfig('admin'),
      retry: { retries: 0 },
    });
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    const disconnect = (): void => void admin.disconnect().catch(() => undefined);
    signal.addEventListener('abort', disconnect, { once: true });
    try {
      const cluster = await describe(admin);
      return {
        clusterId: cluster.clusterId,
        brokers: cluster.brokers.length,
        controller: cluster.controller,
      };
    } catch (error) {
      throw toKafkaConnectError(error, kafkaErrorContextOf(this.client.settings));
    } finally {
      signal.removeEventListener('abort', disconnect);
      disconnect();
    }
  }
}

async function describe(admin: Admin): ReturnType<Admin['describeCluster']> {
  await admin.connect();
  return admin.describeCluster();
}
