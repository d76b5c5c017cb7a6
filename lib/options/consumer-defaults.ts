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
