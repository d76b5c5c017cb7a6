/** Defaults for consumers, each defined once and read wherever the default applies. */

/** The consumer group a topic is read in when none is given, as the Python client names it. */
export function defaultKafkaGroupId(topic: string): string {
  return `${topic}_consumer_group`;
}

/** Where a source's dead letters go when no destination is given: `<source>.dlq`. */
export function defaultDeadLetterDestination(source: string): string {
  return `${source}.dlq`;
}

/** Where a Kafka topic's failed messages wait for their retry in `retryMode: 'retry-topic'`: `<topic>.retry`. */
export function defaultKafkaRetryTopic(topic: string): string {
  return `${topic}.retry`;
}
