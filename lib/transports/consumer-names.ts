/**
 * How consumers are named in statuses, logs and `MessageBusConsumers`: one place, so that a
 * consumer declared but not started (`autoStart: false`, `consume: false`) carries the name it
 * will have once it runs.
 */
export function sqsConsumerName(queue: string): string {
  return `sqs:${queue}`;
}

export function kafkaConsumerName(topic: string, groupId: string): string {
  return `kafka:${topic} (${groupId})`;
}

/** A consumer on the in-memory bus: its source and its group (`queue` for an SQS queue). */
export function memoryConsumerName(source: string, group: string): string {
  return `memory:${source} (${group})`;
}
