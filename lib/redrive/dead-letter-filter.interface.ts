/** Which dead letters a redrive or a listing takes; all given conditions must hold. */
export interface DeadLetterFilter {
  /** `bus-reason` starts with this, e.g. `handler-error` or `invalid-message`. */
  readonly reason?: string;
  /** The message type (`meta_data.instruction_type` or `meta_data.event`) is this. */
  readonly messageType?: string;
  /** Dead-lettered at least this many milliseconds ago. */
  readonly olderThanMs?: number;
  /** Dead-lettered at most this many milliseconds ago. */
  readonly newerThanMs?: number;
}
