/** Counts of one redrive run. */
export interface RedriveCounts {
  /** Dead letters read and matched against the filter. */
  readonly examined: number;
  /** Copied to their target and acknowledged by it (in a dry run: would be). */
  readonly redriven: number;
  /** Left in place: filtered out, truncated (Kafka), or without an origin and no `to`. */
  readonly skipped: number;
  /** Not redriven because the broker refused the copy (or, on SQS, the delete after it). */
  readonly failed: number;
}

/** What a redrive run did. */
export interface RedriveSummary extends RedriveCounts {
  readonly dryRun: boolean;
  /** The run was stopped by its signal before it read everything it would have. */
  readonly interrupted: boolean;
}
