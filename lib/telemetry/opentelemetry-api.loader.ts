import type * as OpenTelemetry from '@opentelemetry/api';

/** The `@opentelemetry/api` module, as this library uses it. */
export type OpenTelemetryApi = typeof OpenTelemetry;

let loaded: OpenTelemetryApi | null | undefined;

/**
 * `@opentelemetry/api` when the app has it installed, else undefined: it is an optional peer,
 * so an app without it runs with telemetry off. Loaded once, on first use.
 */
export function loadOpenTelemetryApi(): OpenTelemetryApi | undefined {
  if (loaded === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require('@opentelemetry/api') as OpenTelemetryApi;
    } catch {
      loaded = null;
    }
  }
  return loaded ?? undefined;
}
