import type { RetryPolicy } from '../../dispatch/retry-policy';

/** A queue or topic consumed on the in-memory bus. */
export interface MemorySubscription {
  /** Queue or topic name. */
  source: string;
  /** Consumers of one group share the messages; each group gets every message, as Kafka groups do. */
  group: string;
  /** Channel that receives what cannot be processed. */
  deadLetter: string;
  retry: RetryPolicy;
  concurrency: number;
}
