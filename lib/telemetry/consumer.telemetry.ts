import type { DeliveryHandler, RunningConsumer } from '../transports/transport.interface';
import { ConsumerMetrics } from './consumer-metrics';
import { DeliveryObserver, type ObservedConsumer } from './delivery.observer';
import { KafkaLagTable, registerKafkaLagTable } from './kafka-lag.registry';
import { INSTRUMENTATION_NAME } from './messaging-attributes';
import { loadOpenTelemetryApi, type OpenTelemetryApi } from './opentelemetry-api.loader';
import { DEFAULT_TELEMETRY } from './resolve-telemetry';
import { SdkPresence } from './sdk-presence';
import { SqsDepthSampler, type SqsDepthProbe } from './sqs-depth.sampler';
import type { ResolvedTelemetry } from './telemetry-options.interface';

/** A consumer to observe; `depth` samples its SQS queue for the depth gauge. */
export interface TelemetryConsumer extends ObservedConsumer {
  readonly depth?: SqsDepthProbe;
}

/** One consumer's telemetry: the handler to give its transport, and the call once it has started. */
export interface ObservedHandler {
  readonly handler: DeliveryHandler;
  started(running: RunningConsumer): void;
}

/**
 * Telemetry for the consumers one app starts: the pipeline's observer stage. `create` returns
 * undefined when there is nothing to do (`@opentelemetry/api` not installed, or tracing and
 * metrics both turned off), and then the consumers get the dispatcher as it is.
 */
export class ConsumerTelemetry {
  private readonly metrics?: ConsumerMetrics;
  private readonly sdk: SdkPresence;

  private constructor(
    private readonly api: OpenTelemetryApi,
    private readonly settings: ResolvedTelemetry,
  ) {
    this.sdk = new SdkPresence(api);
    if (settings.metrics) {
      const metrics = new ConsumerMetrics(api);
      // No meter provider registered by now: every instrument would be a no-op, so none is fed.
      if (!this.sdk.isNoopMeter(metrics.meter)) this.metrics = metrics;
    }
  }

  static create(settings: ResolvedTelemetry | undefined): ConsumerTelemetry | undefined {
    const resolved = settings ?? DEFAULT_TELEMETRY;
    if (!resolved.tracing && !resolved.metrics) return undefined;
    const api = loadOpenTelemetryApi();
    return api === undefined ? undefined : new ConsumerTelemetry(api, resolved);
  }

  observe(consumer: TelemetryConsumer, handler: DeliveryHandler): ObservedHandler {
    const { api, settings, metrics, sdk } = this;
    const lag =
      metrics !== undefined && consumer.transport === 'kafka' && consumer.group !== undefined
        ? new KafkaLagTable()
        : undefined;
    const release =
      lag === undefined
        ? undefined
        : registerKafkaLagTable(consumer.group as string, consumer.destination, lag);
    const observer = new DeliveryObserver(
      api,
      settings.tracing ? api.trace.getTracer(INSTRUMENTATION_NAME) : undefined,
      metrics?.instruments,
      consumer,
      lag,
      sdk,
    );
    const depth =
      metrics !== undefined && consumer.depth !== undefined
        ? new SqsDepthSampler(consumer.depth, settings.queueDepthIntervalMs)
        : undefined;
    return {
      handler: observer.wrap(handler),
      started: (running) =>
        metrics?.watch({
          running,
          attributes: observer.attributes,
          counts: observer.counts,
          lag,
          depth,
          release,
        }),
    };
  }

  /** Stops the gauges: starting the consumers failed. */
  close(): void {
    this.metrics?.close();
  }
}
