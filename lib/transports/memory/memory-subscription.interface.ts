import type { SettlementRules } from '../../dispatch/settlement-policy';

/**
 * One consumer on the in-memory bus, described the way the transport it stands in for
 * behaves (see `toMemorySubscription`).
 */
export interface MemorySubscription {
  /** Queue or topic name. */
  readonly source: string;
  /** Consumers of one group share the messages; each group gets every message, as Kafka groups do. */
  readonly group: string;
  /** Where what cannot be processed goes; none: it is left at its source (SQS without a DLQ). */
  readonly deadLetter?: string;
  readonly rules: SettlementRules;
  /** Messages in flight at once. */
  readonly concurrency: number;
  /**
   * Which messages keep their order: `key` (Kafka: one partition per key), `group` (SQS
   * FIFO: per message group), `none` (SQS standard queues). Ordered messages run one at a
   * time per key or group, and a failed one holds up those after it until it is settled.
   */
  readonly ordering: 'key' | 'group' | 'none';
  /**
   * Whether a message waiting for its retry holds up its key or group (`blocking`, the default)
   * or lets the ones after it go on (`retry-topic`: a Kafka consumer's `retryMode`).
   */
  readonly retryMode?: 'blocking' | 'retry-topic';
  /** For names and logs: the transport this consumer stands in for. */
  readonly standsInFor: 'sqs' | 'kafka';
}
