import type { UnhandledPolicy } from '../interfaces/unhandled-action.interface';

/** Defaults for consumers, each defined once and read wherever the default applies. */

/** The consumer group a topic is read in when none is given, as the Python client names it. */
export function defaultKafkaGroupId(topic: string): string {
  return `${topic}_consumer_group`;
}

/** Where a source's dead letters go when no destination is given: `<source>.dlq`. */
export function defaultDeadLetterDestination(source: string): string {
  return `${source}.dlq`;
}

/**
 * What becomes of a valid message no handler takes, when neither the consumer nor the module
 * says: an instruction nobody handles is misrouted, so it is dead-lettered; a topic or queue
 * carries many event types, so an event this service does not handle is acknowledged.
 */
export const DEFAULT_UNHANDLED_POLICY: UnhandledPolicy = Object.freeze({
  instruction: 'dead-letter',
  event: 'acknowledge',
});
