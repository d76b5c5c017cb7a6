import { withOccasionalCounts } from '../../occasional-counts';
import type { ConsumerState, ConsumerStatus } from '../../transport.interface';

/** What `KafkaConsumer.status()` reports, kept up to date by the consumer and its processors. */
export class KafkaConsumerStats {
  state: ConsumerState = 'starting';
  /** Handlers running right now. */
  inFlight = 0;
  /** Messages a handler finished, on any attempt. */
  handled = 0;
  /** Retries scheduled after a failed attempt. */
  retried = 0;
  /** Messages published to the dead-letter topic. */
  deadLettered = 0;
  /** Messages the dead-letter topic refused for good: committed past, left in their topic's log. */
  deadLetterFailures = 0;
  /** Deliveries refused for their service token (`unauthenticated`). */
  unauthenticated = 0;
  /** Deliveries acknowledged as idempotency duplicates, no handler run. */
  duplicate = 0;
  /** Why the consumer is failed or reconnecting; cleared once it is back in its group. */
  lastError?: string;

  snapshot(name: string): ConsumerStatus {
    const { state, inFlight, handled, retried, deadLettered, lastError } = this;
    const { deadLetterFailures, unauthenticated, duplicate } = this;
    const status = withOccasionalCounts(
      { name, state, inFlight, handled, retried, deadLettered },
      { deadLetterFailures, unauthenticated, duplicate },
    );
    return lastError === undefined ? status : { ...status, lastError };
  }
}
