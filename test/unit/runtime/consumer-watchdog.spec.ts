import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CONSUMER_WATCHDOG_INTERVAL_MS,
  ConsumerWatchdog,
} from '../../../lib/runtime/consumer-watchdog';
import type { ConsumerState, ConsumerStatus } from '../../../lib/transports/transport.interface';

function status(state: ConsumerState, lastError?: string): ConsumerStatus {
  return {
    name: 'sqs:orders',
    state,
    inFlight: 0,
    handled: 0,
    retried: 0,
    deadLettered: 0,
    ...(lastError ? { lastError } : {}),
  };
}

function recordingLogger(): LoggerService & { errors: string[] } {
  const errors: string[] = [];
  const ignore = (): void => undefined;
  return {
    errors,
    error: (message: unknown) => errors.push(String(message)),
    warn: ignore,
    log: ignore,
    debug: ignore,
    verbose: ignore,
  };
}

describe('ConsumerWatchdog', () => {
  let logger: ReturnType<typeof recordingLogger>;

  beforeEach(() => {
    vi.useFakeTimers();
    logger = recordingLogger();
    Logger.overrideLogger(logger);
  });

  afterEach(() => {
    vi.useRealTimers();
    Logger.overrideLogger(new ConsoleLogger());
  });

  it('treats paused and stopped consumers as chosen states, not failures: no log, no exit', () => {
    const exit = vi.fn();
    const drain = vi.fn(async () => undefined);
    const watchdog = new ConsumerWatchdog({
      statuses: () => [status('paused'), status('stopped')],
      onFailure: 'exit',
      drain,
      exit,
    });
    watchdog.check();
    expect(logger.errors).toEqual([]);
    expect(drain).not.toHaveBeenCalled();
    expect(exit).not.toHaveBeenCalled();
  });

  it('holds one timer while started, which keeps Node alive, and none once stopped', () => {
    const watchdog = new ConsumerWatchdog({
      statuses: () => [status('running')],
      onFailure: 'keep-running',
      drain: async () => undefined,
      exit: () => undefined,
    });
    const setInterval = vi.spyOn(globalThis, 'setInterval');
    watchdog.start();
    watchdog.start();
    expect(vi.getTimerCount()).toBe(1);
    const timer = setInterval.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(true);
    watchdog.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('by default logs a failed consumer once, with its reason, and never exits', async () => {
    let current = [status('running')];
    const exit = vi.fn();
    const drain = vi.fn(async () => undefined);
    const watchdog = new ConsumerWatchdog({
      statuses: () => current,
      onFailure: 'keep-running',
      drain,
      exit,
    });
    watchdog.start();
    await vi.advanceTimersByTimeAsync(CONSUMER_WATCHDOG_INTERVAL_MS * 3);
    expect(logger.errors).toEqual([]);

    current = [status('failed', 'the queue does not exist')];
    await vi.advanceTimersByTimeAsync(CONSUMER_WATCHDOG_INTERVAL_MS * 5);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toContain('sqs:orders failed for good (the queue does not exist)');
    expect(logger.errors[0]).toContain("onConsumerFailure: 'exit'");
    expect(exit).not.toHaveBeenCalled();
    expect(drain).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(1);
    watchdog.stop();
  });

  it("with 'exit' drains the other consumers, then exits with code 1, saying why", async () => {
    const order: string[] = [];
    const watchdog = new ConsumerWatchdog({
      statuses: () => [status('failed', 'kafkajs gave up')],
      onFailure: 'exit',
      drain: async () => {
        order.push('drain');
      },
      exit: (code) => order.push(`exit ${code}`),
    });
    watchdog.start();
    await vi.advanceTimersByTimeAsync(CONSUMER_WATCHDOG_INTERVAL_MS * 3);
    expect(order).toEqual(['drain', 'exit 1']);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]).toContain('sqs:orders failed for good (kafkajs gave up)');
    expect(logger.errors[0]).toContain('exits with code 1');
    expect(vi.getTimerCount()).toBe(0);
  });

  it("with 'exit' still exits when draining fails", async () => {
    const exit = vi.fn();
    const watchdog = new ConsumerWatchdog({
      statuses: () => [status('failed')],
      onFailure: 'exit',
      drain: () => Promise.reject(new Error('stop failed')),
      exit,
    });
    watchdog.check();
    await vi.runAllTimersAsync();
    expect(exit).toHaveBeenCalledWith(1);
    expect(logger.errors.join('\n')).toContain('stop failed');
  });
});
