import type { Meter, TracerProvider } from '@opentelemetry/api';
import type { OpenTelemetryApi } from './opentelemetry-api.loader';

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
