/** How failed handlers are retried before a message goes to the dead-letter destination. */
export interface RetryOptions {
  /** Deliveries in all, the first included. Default 5. */
  maxAttempts?: number;
  /** Delay before the second delivery. Default 1000 ms. */
  initialDelayMs?: number;
  /** Each further delay is the previous one times this. Default 2. */
  multiplier?: number;
  /** Upper bound of one delay. Default 60 000 ms. */
  maxDelayMs?: number;
}
