import { MessageBusConfigurationError } from '../../../errors/message-bus-configuration.error';
import type { KafkaPartitionAssigner } from '../kafka-client-options.interface';

/** Every value `partitionAssigners` takes. */
export const KAFKA_PARTITION_ASSIGNERS: readonly KafkaPartitionAssigner[] = [
  'range',
  'roundrobin',
  'kafkajs-roundrobin',
];

/**
 * What a consumer offers its group when nothing is set, in order of preference: `range` and
 * `roundrobin`, the Java client's, librdkafka's (the Rust client's) and kafka-python's (the
 * Python client's) defaults, so a group shared with any of them agrees on `range` as they do;
 * then kafkajs's own `RoundRobinAssigner`, the only one earlier versions of this library offer,
 * so that a rolling upgrade of a Nest-only group keeps working while old members remain. The
 * broker picks a strategy every member offers, so the last one is never chosen in a group
 * with any other client.
 */
export const KAFKA_DEFAULT_PARTITION_ASSIGNERS: readonly KafkaPartitionAssigner[] = [
  'range',
  'roundrobin',
  'kafkajs-roundrobin',
];

/**
 * A `partitionAssigners` setting checked: a non-empty list of known strategies, each once.
 * `undefined` when unset, so the caller applies its own default.
 */
export function resolvePartitionAssigners(
  value: unknown,
  setting: string,
): readonly KafkaPartitionAssigner[] | undefined {
  if (value === undefined || value === null) return undefined;
  const known = KAFKA_PARTITION_ASSIGNERS.map((name) => `'${name}'`).join(', ');
  if (!Array.isArray(value) || value.length === 0) {
    throw new MessageBusConfigurationError(
      setting,
      `must be a non-empty list of ${known}, most preferred first, such as ['range', 'roundrobin'] (got ${JSON.stringify(value) ?? typeof value})`,
    );
  }
  const seen = new Set<string>();
  for (const name of value as unknown[]) {
    if (!KAFKA_PARTITION_ASSIGNERS.includes(name as KafkaPartitionAssigner)) {
      throw new MessageBusConfigurationError(
        setting,
        `lists ${JSON.stringify(name) ?? typeof name}, which is not one of ${known} (the group strategies the other clients name range and roundrobin)`,
      );
    }
    if (seen.has(name as string)) {
      throw new MessageBusConfigurationError(setting, `lists '${String(name)}' twice`);
    }
    seen.add(name as string);
  }
  return [...(value as KafkaPartitionAssigner[])];
}
