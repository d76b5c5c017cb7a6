import { ServiceUnavailableException } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  HealthCheckService,
  TerminusModule,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { vi } from 'vitest';
import { MessageBusModule } from '../../../lib/message-bus.module';
import type { MessageBusModuleOptions } from '../../../lib/interfaces/message-bus-module-options.interface';
import { MessageBusHealthIndicator } from '../../../lib/health';

/** An app with the bus and terminus, its consumers started, and the indicator to check. */
export interface HealthApp {
  readonly app: TestingModule;
  readonly indicator: MessageBusHealthIndicator;
  /** Runs terminus' own check, as a health controller does; a 503 is returned, not thrown. */
  check(...indicators: HealthIndicatorFunction[]): Promise<HealthCheckOutcome>;
}

export interface HealthCheckOutcome {
  /** 200 or 503, as terminus answers over HTTP. */
  readonly httpStatus: number;
  readonly result: HealthCheckResult;
}

export async function startHealthApp(options: MessageBusModuleOptions): Promise<HealthApp> {
  const app = await Test.createTestingModule({
    imports: [TerminusModule.forRoot({ logger: false }), MessageBusModule.forRoot(options)],
    providers: [MessageBusHealthIndicator],
  }).compile();
  await app.init();
  const health = app.get(HealthCheckService);
  return {
    app,
    indicator: app.get(MessageBusHealthIndicator),
    check: async (...indicators) => {
      try {
        return { httpStatus: 200, result: await health.check(indicators) };
      } catch (error) {
        if (!(error instanceof ServiceUnavailableException)) throw error;
        return { httpStatus: 503, result: error.getResponse() as HealthCheckResult };
      }
    },
  };
}

/** Checks again until `expectation` holds (consumers start, brokers go away, in their own time). */
export async function eventually<T>(
  check: () => Promise<T>,
  expectation: (value: T) => void,
  timeout = 45_000,
): Promise<T> {
  let last: T | undefined;
  await vi.waitFor(
    async () => {
      last = await check();
      expectation(last);
    },
    { timeout, interval: 250 },
  );
  return last as T;
}
