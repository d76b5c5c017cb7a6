import { errorText } from '../transports/kafka/consumer/kafka-error-context';
import type { KafkaReachabilityProbe } from '../transports/kafka/kafka-reachability.probe';
import type { SqsReachabilityProbe } from '../transports/sqs/sqs-reachability.probe';
import { settleWithin, type SettledWithin } from './settle-within';

/** What the health details say about one broker: where it is and whether it answered, never a credential. */
export interface BrokerHealth {
  readonly status: 'up' | 'down';
  /** SQS: the queue probed, as configured. */
  readonly queue?: string;
  /** Kafka: the bootstrap servers probed. */
  readonly bootstrapServers?: readonly string[];
  /** Kafka: brokers in the cluster's metadata. */
  readonly brokers?: number;
  readonly clusterId?: string;
  /** Why it counts as unreachable. */
  readonly error?: string;
}

/** The probes one readiness check runs. */
export interface BrokerProbes {
  readonly sqs?: { readonly probe: SqsReachabilityProbe; readonly queues: readonly string[] };
  readonly kafka?: KafkaReachabilityProbe;
}

/**
 * Probes every broker at once, each within `timeoutMs`, and names each in the result:
 * `sqs:<queue>` for every SQS queue, `kafka` for the cluster.
 */
export async function checkBrokers(
  probes: BrokerProbes,
  timeoutMs: number,
): Promise<Record<string, BrokerHealth>> {
  const checks: Promise<[string, BrokerHealth]>[] = [];
  const { sqs, kafka } = probes;
  for (const queue of sqs?.queues ?? []) {
    checks.push(
      settleWithin((signal) => sqs!.probe.probe(queue, signal), timeoutMs).then((settled) => [
        `sqs:${queue}`,
        { ...healthOf(settled, timeoutMs), queue },
      ]),
    );
  }
  if (kafka) {
    const bootstrapServers = kafka.brokers;
    checks.push(
      settleWithin((signal) => kafka.probe(signal), timeoutMs).then((settled) => [
        'kafka',
        {
          ...healthOf(settled, timeoutMs),
          bootstrapServers,
          ...(settled.outcome === 'done'
            ? { brokers: settled.value.brokers, clusterId: settled.value.clusterId }
            : {}),
        },
      ]),
    );
  }
  return Object.fromEntries(await Promise.all(checks));
}

function healthOf(
  settled: SettledWithin<unknown>,
  timeoutMs: number,
): Pick<BrokerHealth, 'status' | 'error'> {
  switch (settled.outcome) {
    case 'done':
      return { status: 'up' };
    case 'failed':
      return { status: 'down', error: errorText(settled.error) };
    case 'timed-out':
      return { status: 'down', error: `did not answer within ${timeoutMs} ms` };
  }
}
