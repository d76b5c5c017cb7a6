import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import type { RetryOptions } from '../interfaces/retry-options.interface';

/** Retry settings with every default filled in and checked. */
export class RetryPolicy {
  readonly maxAttempts: number;
  readonly initialDelayMs: number;
  readonly multiplier: number;
  readonly maxDelayMs: number;

  constructor(options: RetryOptions = {}, setting = 'retry') {
    this.maxAttempts = positiveInteger(options.maxAttempts ?? 5, `${setting}.maxAttempts`);
    this.initialDelayMs = nonNegative(options.initialDelayMs ?? 1_000, `${setting}.initialDelayMs`);
    this.multiplier = nonNegative(options.multiplier ?? 2, `${setting}.multiplier`);
    this.maxDelayMs = nonNegative(options.maxDelayMs ?? 60_000, `${setting}.maxDelayMs`);
    if (this.multiplier < 1) {
      throw new MessageBusConfigurationError(`${setting}.multiplier`, 'must be at least 1');
    }
  }

  /** Whether a message that failed on delivery `attempt` (1-based) gets another. */
  canRetry(attempt: number): boolean {
    return attempt < this.maxAttempts;
  }

  /**
   * Delay before the delivery after `attempt` failed: exponential, capped, with the upper
   * half jittered so that a burst of failures does not come back as one burst.
   */
  delayAfter(attempt: number): number {
    const exponential = this.initialDelayMs * this.multiplier ** Math.max(0, attempt - 1);
    const capped = Math.min(this.maxDelayMs, exponential);
    return Math.round(capped / 2 + (Math.random() * capped) / 2);
  }
}

function positiveInteger(value: number, setting: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new MessageBusConfigurationError(
      setting,
      `must be a whole number of at least 1 (got ${value})`,
    );
  }
  return value;
}

function nonNegative(value: number, setting: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new MessageBusConfigurationError(
      setting,
      `must be a number of at least 0 (got ${String(value)})`,
    );
  }
  return value;
}
