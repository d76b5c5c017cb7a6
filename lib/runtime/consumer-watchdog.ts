import { Logger } from '@nestjs/common';
import type { ConsumerFailureBehaviour } from '../interfaces/message-bus-module-options.interface';
import type { ConsumerStatus } from '../transports/transport.interface';

/** How often the watchdog looks at the consumers' states. */
export const CONSUMER_WATCHDOG_INTERVAL_MS = 1_000;

/** The exit code of a process that `onConsumerFailure: 'exit'` ends. */
export const CONSUMER_FAILURE_EXIT_CODE = 1;

export interface ConsumerWatchdogOptions {
  /** The consumers' current statuses (`ConsumerOrchestrator.statuses()`). */
  readonly statuses: () => readonly ConsumerStatus[];
  readonly onFailure: ConsumerFailureBehaviour;
  /** With `exit`: stops the other consumers (their finished work settled) before the exit. */
  readonly drain: () => Promise<void>;
  /** Ends the process; `process.exit` unless a test passes its own. */
  readonly exit?: (code: number) => void;
  readonly intervalMs?: number;
}

/**
 * Keeps a process with consumers alive until the app shuts down, and acts on a consumer that
 * failed for good. Once the pollers of a consumer-only app stop, nothing else holds Node's
 * event loop, and the process would end with exit code 0: a supervisor would see a clean exit
 * and nobody could read `statuses()` any more. The watchdog's timer is that hold (it is
 * deliberately not `unref()`ed), and each tick reads the statuses: a `failed` consumer is
 * logged once, then either left visible as `failed` (`keep-running`) or, with `exit`, the
 * other consumers are drained and the process exits with code 1.
 */
export class ConsumerWatchdog {
  private readonly logger = new Logger(ConsumerWatchdog.name);
  private readonly reported = new Set<string>();
  private timer?: NodeJS.Timeout;
  private exiting = false;

  constructor(private readonly options: ConsumerWatchdogOptions) {}

  start(): void {
    this.timer ??= setInterval(
      () => this.check(),
      this.options.intervalMs ?? CONSUMER_WATCHDOG_INTERVAL_MS,
    );
  }

  /** At shutdown: lets the process end once the app has closed. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look at the statuses; the timer calls it, tests may too. */
  check(): void {
    if (this.exiting) return;
    for (const status of this.options.statuses()) {
      if (status.state !== 'failed' || this.reported.has(status.name)) continue;
      this.reported.add(status.name);
      const reason = status.lastError ?? 'no reason was recorded';
      if (this.options.onFailure === 'exit') {
        this.exitFor(status.name, reason);
        return;
      }
      this.logger.error(
        `${status.name} failed for good (${reason}); the app keeps running and statuses() reports it as failed. ` +
          "Set onConsumerFailure: 'exit' to end the process instead",
      );
    }
  }

  private exitFor(name: string, reason: string): void {
    this.exiting = true;
    this.logger.error(
      `${name} failed for good (${reason}); onConsumerFailure is 'exit', so the process exits with code ${CONSUMER_FAILURE_EXIT_CODE} once the other consumers have stopped`,
    );
    const exit =
      this.options.exit ??
      ((code: number) => {
        process.exitCode = code;
        process.exit(code);
      });
    void this.options
      .drain()
      .catch((error: unknown) =>
        this.logger.error(`Stopping the other consumers before the exit failed: ${String(error)}`),
      )
      .finally(() => {
        this.stop();
        exit(CONSUMER_FAILURE_EXIT_CODE);
      });
  }
}
