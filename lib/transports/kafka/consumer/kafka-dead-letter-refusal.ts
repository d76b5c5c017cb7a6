import { KafkaSendError } from '../errors/kafka-send.error';

/**
 * How a failed dead-letter publish ends, from Kafka's error code:
 * - `too-large`: the record is over the topic's `max.message.bytes`; a smaller one may fit.
 * - `refused`: the broker will refuse it however often it is sent (not authorised, invalid
 *   topic, a policy), until someone changes the cluster.
 * - `missing`: the topic does not exist (auto-creation off), or it is still being created:
 *   only asking the cluster tells which.
 * - `transient`: anything else (broker down, leader moving, timeouts): send it again later.
 */
export type KafkaDeadLetterRefusal = 'too-large' | 'refused' | 'missing' | 'transient';

const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
const REFUSED = new Set([
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'INVALID_TOPIC_EXCEPTION',
  'POLICY_VIOLATION',
  'INVALID_RECORD',
]);

export function kafkaDeadLetterRefusalOf(error: unknown): KafkaDeadLetterRefusal {
  // Connection and authentication failures come as their own errors: they pass.
  if (!(error instanceof KafkaSendError) || error.kafkaErrorType === undefined) return 'transient';
  const type = error.kafkaErrorType;
  if (TOO_LARGE.has(type)) return 'too-large';
  if (REFUSED.has(type)) return 'refused';
  return type === 'UNKNOWN_TOPIC_OR_PARTITION' ? 'missing' : 'transient';
}
