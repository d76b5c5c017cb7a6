import { ConsumerTelemetry } from '../telemetry/consumer.telemetry';
import type { ResolvedTelemetry } from '../telemetry/telemetry-options.interface';

/**
 * The app's one `ConsumerTelemetry`, built on first use rather than with the module: loading
 * `@opentelemetry/api` takes tens of milliseconds, which the consumers spend connecting and
 * joining instead (see `startConsumer`). The meter is still taken when the consumers start.
 */
export class DeferredConsumerTelemetry {
  private built = false;
  private telemetry?: ConsumerTelemetry;

  constructor(private readonly settings: ResolvedTelemetry | undefined) {}

  /** The telemetry, undefined when there is none (`@opentelemetry/api` not installed, or both signals off). */
  get(): ConsumerTelemetry | undefined {
    if (!this.built) {
      this.built = true;
      this.telemetry = ConsumerTelemetry.create(this.settings);
    }
    return this.telemetry;
  }

  /** Stops the gauges of a telemetry already built: starting the consumers failed. */
  close(): void {
    this.telemetry?.close();
  }
}
