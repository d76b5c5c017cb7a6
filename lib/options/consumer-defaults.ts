/** Defaults for consumers, each defined once and read wherever the default applies. */
import type { StartupPolicy } from '../interfaces/startup-policy';

/** The consumer group a topic is read in when none is given, as the Python client names it. */
export function defaultKafkaGroupId(topic: string): string {
  return `${topic}_consumer_group`;
}

/** Where a source's dead letters go when no destination is given: `<source>.dlq`. */
export function defaultDeadLetterDestination(source: string): string {
  return `${source}.dlq`;
}

/**
 * Consumers keep retrying an unreachable broker at start-up unless told otherwise: a broker
 * down while the app deploys should not crash-loop it, and readiness (`statuses()`) already
 * says `reconnecting` until it answers.
 */
export const DEFAULT_STARTUP_POLICY: StartupPolicy = 'keep-retrying';

/** Where a Kafka topic's failed messages wait for their retry in `retryMode: 'retry-topic'`: `<topic>.retry`. */
export function defaultKafkaRetryTopic(topic: string): string {
  return `${topic}.retry`;
}

/**
 * Messages an SQS consumer holds at once (received and not settled yet), and so handlers
 * running at once. Five receives of 10 fit under it, so a backlog drains with receives
 * overlapping each other and the handlers, instead of one receive at a time.
 */
export const DEFAULT_SQS_CONCURRENCY = 50;

/** Receives an SQS consumer keeps open at once when `pollers` is unset: one per 10 slots. */
export function defaultSqsPollers(concurrency: number): number {
  return Math.max(1, Math.ceil(concurrency / 10));
}
