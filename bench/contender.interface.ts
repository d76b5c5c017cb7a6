import type { BenchRunClock } from './run-clock';

/** What the parent hands one child process: one contender, one round. */
export interface ContenderRequest {
  readonly contender: string;
  /** Messages the contender must handle before its clock stops. */
  readonly messages: number;
  /** The child gives up after this long and reports what it handled. */
  readonly capMs: number;
  readonly kafka?: {
    readonly brokers: string;
    readonly topic: string;
    readonly partitions: number;
    /** A group of its own, reading the topic from the beginning. */
    readonly groupId: string;
    /** Failure runs: percentage of messages whose first attempt throws. */
    readonly failurePercent?: number;
  };
  readonly sqs?: {
    readonly endpoint: string;
    /** A queue of its own, filled by the parent with `messages` envelopes. */
    readonly queueUrl: string;
    /** Parallel loops / instances for the contenders that take a number. */
    readonly parallel: number;
  };
  readonly validation?: { readonly iterations: number; readonly samples: number };
}

/** What one child reports back. */
export interface ContenderResult {
  readonly contender: string;
  /** Messages handled when the clock stopped (equal to `messages` unless timed out). */
  readonly handled: number;
  readonly messages: number;
  /** From the start of consumer start-up to the last message processed (SQS: last delete acknowledged). */
  readonly seconds: number;
  readonly msgsPerSec: number;
  /**
   * The steady rate once consuming: messages after the first one, divided by the time from
   * the first message to the end of the run; start-up is left out, so this is the rate a
   * running consumer keeps while it drains a backlog. 0 when fewer than two were handled.
   */
  readonly drainMsgsPerSec: number;
  /** Start-up to the first message, part of `seconds`. */
  readonly startupMs: number;
  /** The child's own peak resident set size (process.resourceUsage().maxRSS). */
  readonly peakRssMb: number;
  readonly timedOut: boolean;
  /** Set when the contender could not run at all (e.g. an option the library refuses). */
  readonly error?: string;
  /** Contender-specific figures (validation: ns per envelope). */
  readonly extra?: Record<string, number>;
}

/**
 * A contender's body: runs in its child, calls `clock.start()` right before its consumer
 * start-up begins, counts every message, and resolves once `clock.finished` did and it shut
 * down (shutdown is not timed).
 */
export type ContenderRun = (request: ContenderRequest, clock: BenchRunClock) => Promise<void>;
