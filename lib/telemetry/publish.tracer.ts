import { Logger } from '@nestjs/common';
import type { Span, Tracer } from '@opentelemetry/api';
import { boundFailureText } from '../errors/bounded-failure-text';
import type { TransportName } from '../interfaces/transport-name';
import type { PublishOptions, PublishReceipt } from '../transports/transport.interface';
import { HEADER_SETTER } from './header-carrier';
import * as semconv from './messaging-attributes';
import { loadOpenTelemetryApi, type OpenTelemetryApi } from './opentelemetry-api.loader';
import { SdkPresence } from './sdk-presence';
import type { ResolvedTelemetry } from './telemetry-options.interface';

/** SQS allows at most this many message attributes; trace context never pushes a publish over it. */
const SQS_MAX_ATTRIBUTES = 10;

/**
 * The publish side of tracing: a PRODUCER `send` span around each publish, and the active
 * trace context (the app's registered propagator, W3C `traceparent`/`tracestate` by default)
 * written into the message's headers, so the consumer's `process` span continues the trace.
 * The body is never touched. Without `@opentelemetry/api`, or with `telemetry.tracing: false`,
 * it only calls `send`.
 */
export class PublishTracer {
  private readonly logger = new Logger(PublishTracer.name);
  private readonly api?: OpenTelemetryApi;
  private readonly sdk?: SdkPresence;
  private tracer?: Tracer;
  private warnedFull = false;

  constructor(telemetry: ResolvedTelemetry | undefined) {
    if (telemetry?.tracing !== false) this.api = loadOpenTelemetryApi();
    if (this.api !== undefined) this.sdk = new SdkPresence(this.api);
  }

  async publish(
    transport: TransportName,
    destination: string,
    messageType: string,
    options: PublishOptions,
    send: (options: PublishOptions) => Promise<PublishReceipt>,
  ): Promise<PublishReceipt> {
    const api = this.api;
    if (api === undefined || !this.sdk?.hasTracerProvider()) return send(options);
    this.tracer ??= api.trace.getTracer(semconv.INSTRUMENTATION_NAME);
    const span = this.tracer.startSpan(`send ${destination}`, {
      kind: api.SpanKind.PRODUCER,
      attributes: {
        [semconv.ATTR_MESSAGING_SYSTEM]: semconv.MESSAGING_SYSTEMS[transport],
        [semconv.ATTR_DESTINATION_NAME]: destination,
        [semconv.ATTR_OPERATION_TYPE]: 'send',
        [semconv.ATTR_OPERATION_NAME]: 'send',
        [semconv.ATTR_BUS_MESSAGE_TYPE]: messageType,
        ...(transport === 'kafka' && options.key !== undefined
          ? { [semconv.ATTR_KAFKA_MESSAGE_KEY]: options.key }
          : {}),
      },
    });
    const withContext = this.inject(api, span, transport, destination, options);
    try {
      const receipt = await send(withContext);
      if (span.isRecording()) recordReceipt(span, receipt);
      return receipt;
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      span.setAttribute(semconv.ATTR_ERROR_TYPE, error instanceof Error ? error.name : 'Error');
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: boundFailureText(text) });
      throw error;
    } finally {
      span.end();
    }
  }

  /** The options with the span's context added to their headers; the same options when there is none to add. */
  private inject(
    api: OpenTelemetryApi,
    span: Span,
    transport: TransportName,
    destination: string,
    options: PublishOptions,
  ): PublishOptions {
    const carrier: Record<string, string> = {};
    api.propagation.inject(api.trace.setSpan(api.context.active(), span), carrier, HEADER_SETTER);
    const added = Object.keys(carrier);
    if (added.length === 0) return options;
    const own = options.headers ?? {};
    if (transport === 'sqs' && Object.keys({ ...own, ...carrier }).length > SQS_MAX_ATTRIBUTES) {
      if (!this.warnedFull) {
        this.warnedFull = true;
        this.logger.warn(
          `A publish to ${destination} has headers that leave no room for trace context within SQS's ` +
            `${SQS_MAX_ATTRIBUTES} message attributes: it is sent without it (logged once); use fewer headers to keep the trace`,
        );
      }
      return options;
    }
    return { ...options, headers: { ...own, ...carrier } };
  }
}

function recordReceipt(span: Span, receipt: PublishReceipt): void {
  if (receipt.messageId !== undefined)
    span.setAttribute(semconv.ATTR_MESSAGE_ID, receipt.messageId);
  if (receipt.partition !== undefined)
    span.setAttribute(semconv.ATTR_DESTINATION_PARTITION_ID, String(receipt.partition));
  if (receipt.offset !== undefined)
    span.setAttribute(semconv.ATTR_KAFKA_OFFSET, Number(receipt.offset));
}
