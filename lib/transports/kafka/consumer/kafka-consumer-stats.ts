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
    const { state, inFlight, handled, retried, deadLettered, deadLetterFailures, lastError } = this;
    const { unauthenticated } = this;
    const counted: ConsumerStatus = { name, state, inFlight, handled, retried, deadLettered };
    const status = this.duplicate > 0 ? { ...counted, duplicate: this.duplicate } : counted;
    // Reported once there is one, so that a consumer without any reads as before.
    const withRefusals = unauthenticated > 0 ? { ...status, unauthenticated } : status;
    const withFailures =
      deadLetterFailures > 0 ? { ...withRefusals, deadLetterFailures } : withRefusals;
    return lastError === undefined ? withFailures : { ...withFailures, lastError };
  }
}
