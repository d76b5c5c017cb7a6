/**
 * The module's `telemetry` option. Traces and metrics go through `@opentelemetry/api` only:
 * nothing is recorded unless the app registers an OpenTelemetry SDK, and nothing is loaded
 * when the API package is not installed.
 */
export interface MessageBusTelemetryOptions {
  /** A `send` span per publish and a `process` span per delivery attempt, with W3C trace context in headers. Default true. */
  tracing?: boolean;
  /** Delivery counts, handler duration, in-flight, Kafka lag and SQS queue depth. Default true. */
  metrics?: boolean;
  /**
   * Least time between two `GetQueueAttributes` calls that sample an SQS queue's depth for the
   * `messaging.bus.sqs.queue.depth` gauge, in milliseconds (1000 or more). Default 30000.
   */
  queueDepthIntervalMs?: number;
}

/** `telemetry` after start-up checks. */
export interface ResolvedTelemetry {
  readonly tracing: boolean;
  readonly metrics: boolean;
  readonly queueDepthIntervalMs: number;
}
