import type { Attributes, Link, Span, SpanOptions, Tracer } from '@opentelemetry/api';
import { describeFailure, type DispatchOutcome } from '../dispatch/delivery-outcome';
import type { InboundDelivery } from '../dispatch/inbound-delivery.interface';
import type { Settlement } from '../dispatch/settlement-policy';
import type { TransportName } from '../interfaces/transport-name';
import type { DeliveryHandler } from '../transports/transport.interface';
import type { DeliveryInstruments } from './consumer-metrics';
import { HEADER_GETTER } from './header-carrier';
import type { KafkaLagTable } from './kafka-lag.registry';
import * as semconv from './messaging-attributes';
import type { OpenTelemetryApi } from './opentelemetry-api.loader';
import type { SdkPresence } from './sdk-presence';
import { awaitSettlement } from './settlement-observation';

/** The consumer a delivery observer watches. */
export interface ObservedConsumer {
  readonly transport: TransportName;
  /** Queue or topic. */
  readonly destination: string;
  /** Kafka consumer group (the memory bus's group for Kafka consumers). */
  readonly group?: string;
}

/** One series of the deliveries counter. */
export interface DeliveryCount {
  readonly attributes: Attributes;
  value: number;
}

const ACKNOWLEDGED: Settlement = Object.freeze({ action: 'acknowledge' });

/**
 * The telemetry stage of one consumer's pipeline, wrapped around the dispatcher: a CONSUMER
 * `process` span per delivery attempt, a child of the trace context the message carries (and
 * linked to it, as the messaging conventions ask of a consumer span), active while the
 * handlers run so that what they publish continues the trace; the handler duration; and, once
 * the consumer has settled the delivery, the delivery count by outcome, the span's outcome
 * and status, and the Kafka lag table. Handled, duplicate and ignored deliveries are always
 * acknowledged, so they finish here; failures and refusals wait for `observeSettlement`.
 */
export class DeliveryObserver {
  /** The attributes every span and metric of this consumer shares. */
  readonly attributes: Attributes;
  private readonly spanName: string;
  private readonly spanOptions: SpanOptions;
  /** Deliveries by outcome and reason, read by the metrics at collection time. */
  readonly counts = new Map<string, DeliveryCount>();

  constructor(
    private readonly api: OpenTelemetryApi,
    private readonly tracer: Tracer | undefined,
    private readonly instruments: DeliveryInstruments | undefined,
    consumer: ObservedConsumer,
    private readonly lag: KafkaLagTable | undefined,
    private readonly sdk: SdkPresence,
  ) {
    this.attributes = Object.freeze({
      [semconv.ATTR_MESSAGING_SYSTEM]: semconv.MESSAGING_SYSTEMS[consumer.transport],
      [semconv.ATTR_DESTINATION_NAME]: consumer.destination,
      ...(consumer.group === undefined ? {} : { [semconv.ATTR_CONSUMER_GROUP]: consumer.group }),
    });
    this.spanName = `process ${consumer.destination}`;
    this.spanOptions = {
      kind: api.SpanKind.CONSUMER,
      attributes: {
        ...this.attributes,
        [semconv.ATTR_OPERATION_TYPE]: 'process',
        [semconv.ATTR_OPERATION_NAME]: 'process',
      },
    };
  }

  /** `handler` with this stage around it. */
  wrap(handler: DeliveryHandler): DeliveryHandler {
    // Without an SDK the stage is one check per delivery: no span, no clock, no extra promise.
    return (delivery) =>
      this.instruments !== undefined || this.tracing()
        ? this.observe(delivery, handler)
        : handler(delivery);
  }

  private tracing(): boolean {
    return this.tracer !== undefined && this.sdk.hasTracerProvider();
  }

  private async observe(
    delivery: InboundDelivery,
    handler: DeliveryHandler,
  ): Promise<DispatchOutcome> {
    const started = this.instruments === undefined ? 0 : performance.now();
    let span: Span | undefined;
    let outcome: DispatchOutcome;
    try {
      if (this.tracer === undefined || !this.tracing()) {
        outcome = await handler(delivery);
      } else {
        const { api } = this;
        const parent =
          delivery.headers === undefined
            ? api.ROOT_CONTEXT
            : api.propagation.extract(api.ROOT_CONTEXT, delivery.headers, HEADER_GETTER);
        const creation =
          delivery.headers === undefined ? undefined : api.trace.getSpanContext(parent);
        const links: Link[] | undefined =
          creation === undefined ? undefined : [{ context: creation }];
        span = this.tracer.startSpan(
          this.spanName,
          links === undefined ? this.spanOptions : { ...this.spanOptions, links },
          parent,
        );
        if (span.isRecording()) describeDelivery(span, delivery);
        // Without a recording span or a trace to continue, there is no context worth making active.
        outcome = await (span.isRecording() || creation !== undefined
          ? api.context.with(api.trace.setSpan(parent, span), handler, undefined, delivery)
          : handler(delivery));
      }
    } catch (error) {
      // Against the DeliveryHandler contract; the consumer treats it as a failed attempt.
      const failed: DispatchOutcome = { status: 'failed', error };
      const finishing = span;
      awaitSettlement(delivery, (settlement) =>
        this.finish(delivery, failed, settlement, finishing),
      );
      throw error;
    }
    if (this.instruments !== undefined)
      this.instruments.duration.record((performance.now() - started) / 1000, this.attributes);
    if (
      outcome.status === 'handled' ||
      outcome.status === 'duplicate' ||
      outcome.status === 'ignored'
    ) {
      this.finish(delivery, outcome, ACKNOWLEDGED, span);
    } else {
      const settled = outcome;
      const finishing = span;
      awaitSettlement(delivery, (settlement) =>
        this.finish(delivery, settled, settlement, finishing),
      );
    }
    return outcome;
  }

  private finish(
    delivery: InboundDelivery,
    outcome: DispatchOutcome,
    settlement: Settlement,
    span: Span | undefined,
  ): void {
    const label = outcomeLabel(outcome, settlement);
    const reason = reasonOf(outcome);
    // A plain increment: the SDK's Counter.add hashes the attributes on every call.
    if (this.instruments !== undefined) this.countOf(label, reason).value += 1;
    if (
      this.lag !== undefined &&
      delivery.partition !== undefined &&
      delivery.offset !== undefined &&
      (settlement.action === 'acknowledge' || settlement.action === 'dead-letter')
    ) {
      this.lag.settled(delivery.partition, delivery.offset);
    }
    if (span === undefined) return;
    if (span.isRecording()) {
      span.setAttribute(semconv.ATTR_BUS_OUTCOME, label);
      if (outcome.message !== undefined)
        span.setAttribute(semconv.ATTR_BUS_MESSAGE_TYPE, outcome.message.type);
      if (reason !== undefined && (outcome.status === 'failed' || outcome.status === 'rejected')) {
        span.setAttribute(semconv.ATTR_BUS_REASON, reason);
        span.setAttribute(semconv.ATTR_ERROR_TYPE, reason);
        // The reason and the error's bounded message: never field values or the token.
        span.setStatus({ code: this.api.SpanStatusCode.ERROR, message: describeFailure(outcome) });
      }
    }
    span.end();
  }

  private countOf(label: string, reason: string | undefined): DeliveryCount {
    const key = reason === undefined ? label : `${label}|${reason}`;
    let count = this.counts.get(key);
    if (count === undefined) {
      const attributes = Object.freeze({
        ...this.attributes,
        [semconv.ATTR_BUS_OUTCOME]: label,
        ...(reason === undefined ? {} : { [semconv.ATTR_BUS_REASON]: reason }),
      });
      count = { attributes, value: 0 };
      this.counts.set(key, count);
    }
    return count;
  }
}

/** The per-delivery attributes, set only on a recording span. */
function describeDelivery(span: Span, delivery: InboundDelivery): void {
  span.setAttribute(semconv.ATTR_BUS_ATTEMPT, delivery.attempt);
  if (delivery.messageId !== undefined)
    span.setAttribute(semconv.ATTR_MESSAGE_ID, delivery.messageId);
  if (delivery.partition !== undefined)
    span.setAttribute(semconv.ATTR_DESTINATION_PARTITION_ID, String(delivery.partition));
  if (delivery.offset !== undefined)
    span.setAttribute(semconv.ATTR_KAFKA_OFFSET, Number(delivery.offset));
  if (delivery.key !== undefined && delivery.transport === 'kafka')
    span.setAttribute(semconv.ATTR_KAFKA_MESSAGE_KEY, delivery.key);
}

/** What the consumer did with the delivery, as `messaging.bus.outcome` says it. */
export function outcomeLabel(outcome: DispatchOutcome, settlement: Settlement): string {
  switch (settlement.action) {
    case 'acknowledge':
      return outcome.status === 'duplicate' || outcome.status === 'ignored'
        ? outcome.status
        : 'handled';
    case 'retry':
      return 'retried';
    case 'dead-letter':
      return 'dead-lettered';
    case 'leave':
      return 'left';
    case 'release':
      return 'released';
  }
}

/** Why it was not handled: the rejection reason, `handler-error`, or `no-handler` for an ignored one. */
function reasonOf(outcome: DispatchOutcome): string | undefined {
  switch (outcome.status) {
    case 'rejected':
    case 'ignored':
      return outcome.reason;
    case 'failed':
      return 'handler-error';
    default:
      return undefined;
  }
}
