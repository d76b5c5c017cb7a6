import { Controller, Injectable, type Type } from '@nestjs/common';
import { context, metrics, propagation, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import {
  InstructionType,
  MessageBusContext,
  MessageBusPublisher,
  OnInstruction,
  type PaymentPayload,
} from 'nestjs-message-bus';
import { buildPaymentMessage } from '../../support/payment-message';

/** Personal data in every payment the suites send: it must never reach a span or a metric. */
export const PAYER_NAME = 'Zoë Müller-Secret';
export const SERVICE_TOKEN = 'telemetry.secret.service.token';

/** A reader the test collects from when it wants to, instead of on a timer. */
class CollectingReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** The real OpenTelemetry SDK, registered globally as an app registers it, with in-memory exporters. */
export interface OpenTelemetryHarness {
  readonly spans: InMemorySpanExporter;
  /** The data points of metric `name` in a fresh collection. */
  points(name: string): Promise<Array<DataPoint<number | Histogram>>>;
  close(): Promise<void>;
}

export function installOpenTelemetry(): OpenTelemetryHarness {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  return {
    spans,
    async points(name) {
      const { resourceMetrics, errors } = await reader.collect();
      if (errors.length > 0) throw errors[0];
      return resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .filter((metric) => metric.descriptor.name === name)
        .flatMap((metric) => metric.dataPoints as Array<DataPoint<number | Histogram>>);
    },
    async close() {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
      trace.disable();
      metrics.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** The value of the one data point whose attributes include `match`; undefined when none. */
export function valueOf(
  points: ReadonlyArray<DataPoint<number | Histogram>>,
  match: Attributes,
): number | Histogram | undefined {
  const found = points.filter((point) =>
    Object.entries(match).every(([key, value]) => point.attributes[key] === value),
  );
  if (found.length > 1) throw new Error(`${found.length} points match ${JSON.stringify(match)}`);
  return found[0]?.value;
}

/** The finished spans named `name`. */
export function spansNamed(spans: InMemorySpanExporter, name: string): ReadableSpan[] {
  return spans.getFinishedSpans().filter((span) => span.name === name);
}

/** A PAYMENT whose `reference` tells the handlers what to do with it. */
export function payment(reference: string) {
  return buildPaymentMessage({ reference, payerName: PAYER_NAME, serviceToken: SERVICE_TOKEN });
}

/** One handler call. */
export interface Seen {
  readonly source: string;
  readonly reference: string;
  readonly attempt: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The record's key (Kafka), as `getDelivery()` gives it. */
  readonly key?: string;
  /** The span active while the handler ran. */
  readonly traceId?: string;
  readonly spanId?: string;
}

/** The queues or topics of the suites' app. */
export interface ChainNames {
  /** Its controller handler publishes each payment on to `second`. */
  readonly first: string;
  readonly second: string;
  /** Handled, retried then handled, or failed for good, by reference. */
  readonly mix: string;
  /** Waits for `openGate()` on every payment but `open`. */
  readonly gated: string;
}

/** Handlers for `names`: a `@Controller()` for `first`, a provider for the others. */
export function chainHandlers(names: ChainNames): {
  seen: Seen[];
  openGate: () => void;
  handlers: Type<unknown>[];
} {
  const seen: Seen[] = [];
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  const note = (payment: PaymentPayload, ctx: MessageBusContext): void => {
    const active = trace.getActiveSpan()?.spanContext();
    const delivery = ctx.getDelivery();
    seen.push({
      source: delivery.source,
      reference: payment.reference,
      attempt: delivery.attempt,
      headers: delivery.headers ?? {},
      key: delivery.key,
      traceId: active?.traceId,
      spanId: active?.spanId,
    });
  };

  @Controller()
  class ChainController {
    constructor(private readonly publisher: MessageBusPublisher) {}

    @OnInstruction(InstructionType.PAYMENT, names.first)
    async onFirst(payment: PaymentPayload, ctx: MessageBusContext): Promise<void> {
      note(payment, ctx);
      await this.publisher.publish(
        buildPaymentMessage({
          reference: `${payment.reference}-next`,
          payerName: PAYER_NAME,
          serviceToken: SERVICE_TOKEN,
        }),
        names.second,
        { headers: { 'x-hop': '2' } },
      );
    }
  }

  @Injectable()
  class ChainHandlers {
    @OnInstruction(InstructionType.PAYMENT, names.second)
    onSecond(payment: PaymentPayload, ctx: MessageBusContext): void {
      note(payment, ctx);
    }

    @OnInstruction(InstructionType.PAYMENT, names.mix)
    onMix(payment: PaymentPayload, ctx: MessageBusContext): void {
      note(payment, ctx);
      if (payment.reference === 'poison') throw new Error('poison fails every time');
      if (payment.reference === 'flaky' && ctx.getDelivery().attempt === 1)
        throw new Error('flaky fails once');
    }

    @OnInstruction(InstructionType.PAYMENT, names.gated)
    async onGated(payment: PaymentPayload, ctx: MessageBusContext): Promise<void> {
      note(payment, ctx);
      if (payment.reference !== 'open') await gate;
    }
  }

  return { seen, openGate, handlers: [ChainController, ChainHandlers] };
}

/** Polls `check` until it holds; fails with what `describe()` says after `timeoutMs`. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  describe: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
