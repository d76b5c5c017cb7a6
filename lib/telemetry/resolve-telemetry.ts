import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import { optionalFlag, rejectUnknownKeys, type OptionKeys } from '../options/option-checks';
import type { MessageBusTelemetryOptions, ResolvedTelemetry } from './telemetry-options.interface';

const TELEMETRY_OPTION_KEYS: OptionKeys<MessageBusTelemetryOptions> = {
  tracing: true,
  metrics: true,
  queueDepthIntervalMs: true,
};

const DEFAULT_QUEUE_DEPTH_INTERVAL_MS = 30_000;
const MIN_QUEUE_DEPTH_INTERVAL_MS = 1_000;

/** Both signals on, the queue depth sampled every 30 s. */
export const DEFAULT_TELEMETRY: ResolvedTelemetry = Object.freeze({
  tracing: true,
  metrics: true,
  queueDepthIntervalMs: DEFAULT_QUEUE_DEPTH_INTERVAL_MS,
});

/** Checks the module's `telemetry` option; both signals are on unless turned off. */
export function resolveTelemetry(options: unknown): ResolvedTelemetry {
  if (options === undefined) return DEFAULT_TELEMETRY;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new MessageBusConfigurationError(
      'telemetry',
      'must be an object such as { tracing: true, metrics: false }',
    );
  }
  rejectUnknownKeys(options, TELEMETRY_OPTION_KEYS, 'telemetry');
  const given = options as MessageBusTelemetryOptions;
  const interval = given.queueDepthIntervalMs ?? DEFAULT_QUEUE_DEPTH_INTERVAL_MS;
  if (!Number.isFinite(interval) || interval < MIN_QUEUE_DEPTH_INTERVAL_MS) {
    throw new MessageBusConfigurationError(
      'telemetry.queueDepthIntervalMs',
      `must be a number of milliseconds, ${MIN_QUEUE_DEPTH_INTERVAL_MS} or more (got ${String(interval)})`,
    );
  }
  return {
    tracing: optionalFlag(given.tracing, 'telemetry.tracing') ?? true,
    metrics: optionalFlag(given.metrics, 'telemetry.metrics') ?? true,
    queueDepthIntervalMs: interval,
  };
}
