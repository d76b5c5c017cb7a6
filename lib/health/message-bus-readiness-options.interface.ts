/** Options of one `MessageBusHealthIndicator.isReady()` check. */
export interface MessageBusReadinessOptions {
  /**
   * How long each broker probe may take before the broker counts as unreachable, in
   * milliseconds. Default 2000; the probes run side by side, so a check takes about this long
   * at most.
   */
  timeoutMs?: number;
  /**
   * SQS queues to probe besides the consumed ones (names or full URLs), e.g. the queues this
   * app publishes to.
   */
  queues?: readonly string[];
}
