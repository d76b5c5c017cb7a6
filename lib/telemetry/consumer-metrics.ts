import type {
  Attributes,
  BatchObservableCallback,
  Histogram,
  Meter,
  Observable,
  ObservableCounter,
  ObservableGauge,
} from '@opentelemetry/api';
import type { RunningConsumer } from '../transports/transport.interface';
import type { DeliveryCount } from './delivery.observer';
import type { KafkaLagTable } from './kafka-lag.registry';
import {
  ATTR_DESTINATION_PARTITION_ID,
  INSTRUMENTATION_NAME,
  METRIC_DELIVERIES,
  METRIC_IN_FLIGHT,
  METRIC_KAFKA_LAG,
  METRIC_PROCESS_DURATION,
  METRIC_SQS_DEPTH,
} from './messaging-attributes';
import type { OpenTelemetryApi } from './opentelemetry-api.loader';
import type { SqsDepthSampler } from './sqs-depth.sampler';

/** The instruments, created once per meter (an app may be created again in the same process). */
export interface DeliveryInstruments {
  readonly deliveries: ObservableCounter;
  readonly duration: Histogram;
  readonly inFlight: ObservableGauge;
  readonly kafkaLag: ObservableGauge;
  readonly sqsDepth: ObservableGauge;
}

const instrumentsByMeter = new WeakMap<Meter, DeliveryInstruments>();

function instrumentsOf(meter: Meter): DeliveryInstruments {
  let instruments = instrumentsByMeter.get(meter);
  if (instruments === undefined) {
    instruments = {
      deliveries: meter.createObservableCounter(METRIC_DELIVERIES, {
        description: 'Deliveries settled, by what the consumer did (messaging.bus.outcome) and why',
        unit: '{delivery}',
      }),
      duration: meter.createHistogram(METRIC_PROCESS_DURATION, {
        description: 'Time from receiving a delivery to its outcome: parse, checks and handlers',
        unit: 's',
        // The conventions' boundaries for durations in seconds; the SDK's default ones are for milliseconds.
        advice: {
          explicitBucketBoundaries: [
            0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
          ],
        },
      }),
      inFlight: meter.createObservableGauge(METRIC_IN_FLIGHT, {
        description: 'Deliveries a consumer holds: being handled or waiting to settle',
        unit: '{delivery}',
      }),
      kafkaLag: meter.createObservableGauge(METRIC_KAFKA_LAG, {
        description:
          "Messages behind per partition: the high watermark of the consumer's last fetch minus its last settled offset + 1",
        unit: '{message}',
      }),
      sqsDepth: meter.createObservableGauge(METRIC_SQS_DEPTH, {
        description:
          'Approximate messages in an SQS queue (state visible or in_flight), sampled with GetQueueAttributes',
        unit: '{message}',
      }),
    };
    instrumentsByMeter.set(meter, instruments);
  }
  return instruments;
}

interface WatchedConsumer {
  readonly running: RunningConsumer;
  readonly attributes: Attributes;
  /** The consumer's delivery counts, by outcome and reason. */
  readonly counts: ReadonlyMap<string, DeliveryCount>;
  readonly lag?: KafkaLagTable;
  readonly depth?: SqsDepthSampler;
  readonly release?: () => void;
}

/**
 * The metrics of the consumers one app started: the counter and histogram that the delivery
 * observers record into, and the gauges read at collection time (in-flight from each consumer's
 * `status()`, Kafka lag from its lag table, SQS depth from its sampler). The gauges' callback is
 * removed once every watched consumer has stopped.
 */
export class ConsumerMetrics {
  readonly instruments: DeliveryInstruments;
  readonly meter: Meter;
  private readonly watched: WatchedConsumer[] = [];
  private registered = false;
  private readonly collect: BatchObservableCallback = async (result) => {
    const live = this.watched.filter((c) => c.running.status().state !== 'stopped');
    if (live.length === 0 && this.watched.length > 0) {
      this.close();
      return;
    }
    const { deliveries, inFlight, kafkaLag, sqsDepth } = this.instruments;
    await Promise.all(
      live.map(async (consumer) => {
        for (const { attributes, value } of consumer.counts.values())
          result.observe(deliveries, value, attributes);
        result.observe(inFlight, consumer.running.status().inFlight, consumer.attributes);
        for (const { partition, lag } of consumer.lag?.lags() ?? []) {
          result.observe(kafkaLag, lag, {
            ...consumer.attributes,
            [ATTR_DESTINATION_PARTITION_ID]: String(partition),
          });
        }
        const depth = await consumer.depth?.current();
        if (depth !== undefined) {
          result.observe(sqsDepth, depth.visible, { ...consumer.attributes, state: 'visible' });
          result.observe(sqsDepth, depth.inFlight, { ...consumer.attributes, state: 'in_flight' });
        }
      }),
    );
  };

  constructor(api: OpenTelemetryApi) {
    this.meter = api.metrics.getMeter(INSTRUMENTATION_NAME);
    this.instruments = instrumentsOf(this.meter);
  }

  watch(consumer: WatchedConsumer): void {
    this.watched.push(consumer);
    if (this.registered) return;
    this.registered = true;
    this.meter.addBatchObservableCallback(this.collect, this.observables());
  }

  /** Stops the gauges; called when every consumer has stopped, or when starting them failed. */
  close(): void {
    for (const consumer of this.watched.splice(0)) consumer.release?.();
    if (!this.registered) return;
    this.registered = false;
    this.meter.removeBatchObservableCallback(this.collect, this.observables());
  }

  private observables(): Observable[] {
    const { deliveries, inFlight, kafkaLag, sqsDepth } = this.instruments;
    return [deliveries, inFlight, kafkaLag, sqsDepth];
  }
}
