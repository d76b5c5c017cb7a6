import type { Meter, TracerProvider } from '@opentelemetry/api';
import type { OpenTelemetryApi } from './opentelemetry-api.loader';

/**
 * Where every copy of `@opentelemetry/api` 1.x (the peer range) keeps what was registered
 * with it: tracer and meter providers, propagator, context manager, diag logger. Absent until
 * something registers one.
 */
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

/**
 * Whether the app registered an OpenTelemetry SDK, so that without one the telemetry stage
 * does no work per message: the API's own no-op providers are recognised by identity.
 */
export class SdkPresence {
  private readonly noopTracerProvider: TracerProvider;

  constructor(private readonly api: OpenTelemetryApi) {
    // A fresh proxy has no delegate: it answers with the API's no-op provider.
    this.noopTracerProvider = new api.ProxyTracerProvider().getDelegate();
  }

  /** Asked per delivery and publish (a few property reads): a tracer provider may be registered late. */
  hasTracerProvider(): boolean {
    // Nothing registered with the API at all (no SDK): one property read instead of the API's lookup.
    if ((globalThis as Record<symbol, unknown>)[API_GLOBALS] === undefined) return false;
    const provider = this.api.trace.getTracerProvider() as TracerProvider & {
      getDelegate?: () => TracerProvider;
    };
    const effective = provider.getDelegate === undefined ? provider : provider.getDelegate();
    return effective !== this.noopTracerProvider;
  }

  /** The metrics API has no proxy: a meter taken before a provider is registered stays a no-op. */
  isNoopMeter(meter: Meter): boolean {
    return meter === this.api.createNoopMeter();
  }
}
