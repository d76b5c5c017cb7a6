import { SpanKind } from '@opentelemetry/api';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  MessageBusConfigurationError,
  MessageBusModule,
  MessageBusPublisher,
  type MessageBusModuleOptions,
} from 'nestjs-message-bus';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  chainHandlers,
  eventually,
  installOpenTelemetry,
  payment,
  spansNamed,
  valueOf,
  type OpenTelemetryHarness,
} from '../integration/telemetry/telemetry-kit';

const NAMES = { first: 'first', second: 'second', mix: 'mix', gated: 'gated' };

async function memoryApp(telemetry?: MessageBusModuleOptions['telemetry']) {
  const chain = chainHandlers(NAMES);
  const app = await Test.createTestingModule({
    imports: [
      MessageBusModule.forRoot({
        transport: 'memory',
        consumers: {
          sqs: [{ queue: 'first' }, { queue: 'second' }],
          kafka: [
            { topic: 'mix', groupId: 'mix-group', retry: { maxAttempts: 2, initialDelayMs: 1 } },
          ],
        },
        ...(telemetry === undefined ? {} : { telemetry }),
      }),
    ],
    controllers: [chain.handlers[0]],
    providers: [chain.handlers[1]],
  }).compile();
  await app.init();
  return { app, chain };
}

describe('telemetry on the in-memory bus, with the real OpenTelemetry SDK', () => {
  let otel: OpenTelemetryHarness;
  let app: TestingModule | undefined;

  beforeAll(() => {
    otel = installOpenTelemetry();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    otel.spans.reset();
  });
  afterAll(() => otel.close());

  it('traces publish → process → publish → process in one trace, and carries headers', async () => {
    const started = await memoryApp();
    app = started.app;
    await app.get(MessageBusPublisher).publish(payment('m1'), 'first', { headers: { 'x-a': '1' } });
    await eventually(
      () =>
        // On the memory bus the second delivery may finish before the first one's handler returns.
        spansNamed(otel.spans, 'process second').length === 1 &&
        spansNamed(otel.spans, 'process first').length === 1,
      () =>
        otel.spans
          .getFinishedSpans()
          .map((span) => span.name)
          .join(', '),
      10_000,
    );
    const [sendFirst] = spansNamed(otel.spans, 'send first');
    const [processFirst] = spansNamed(otel.spans, 'process first');
    const [sendSecond] = spansNamed(otel.spans, 'send second');
    const [processSecond] = spansNamed(otel.spans, 'process second');
    expect(processFirst.parentSpanContext?.spanId).toBe(sendFirst.spanContext().spanId);
    expect(sendSecond.parentSpanContext?.spanId).toBe(processFirst.spanContext().spanId);
    expect(processSecond.parentSpanContext?.spanId).toBe(sendSecond.spanContext().spanId);
    expect(
      new Set(
        [sendFirst, processFirst, sendSecond, processSecond].map((s) => s.spanContext().traceId),
      ).size,
    ).toBe(1);
    expect(processFirst.kind).toBe(SpanKind.CONSUMER);
    expect(processFirst.attributes['messaging.system']).toBe('memory');
    const first = started.chain.seen.find((seen) => seen.source === 'first');
    expect(first?.headers['x-a']).toBe('1');
    expect(first?.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('counts a retried then handled delivery as one retried and one handled', async () => {
    const started = await memoryApp();
    app = started.app;
    await app.get(MessageBusPublisher).publish(payment('flaky'), 'mix');
    const base = {
      'messaging.destination.name': 'mix',
      'messaging.consumer.group.name': 'mix-group',
    };
    await eventually(
      async () =>
        valueOf(await otel.points('messaging.bus.deliveries'), {
          ...base,
          'messaging.bus.outcome': 'handled',
        }) === 1,
      () => 'no handled count for mix',
      10_000,
    );
    const points = await otel.points('messaging.bus.deliveries');
    expect(
      valueOf(points, {
        ...base,
        'messaging.bus.outcome': 'retried',
        'messaging.bus.reason': 'handler-error',
      }),
    ).toBe(1);
  });

  it('records nothing with telemetry: { tracing: false, metrics: false }, yet still delivers headers', async () => {
    const before = (await otel.points('messaging.bus.deliveries')).length;
    const started = await memoryApp({ tracing: false, metrics: false });
    app = started.app;
    await app
      .get(MessageBusPublisher)
      .publish(payment('quiet'), 'first', { headers: { 'x-a': '2' } });
    await eventually(
      () => started.chain.seen.some((seen) => seen.source === 'second'),
      () => 'the second consumer never ran',
      10_000,
    );
    expect(otel.spans.getFinishedSpans()).toEqual([]);
    expect((await otel.points('messaging.bus.deliveries')).length).toBe(before);
    const first = started.chain.seen.find((seen) => seen.source === 'first');
    expect(first?.headers).toEqual({ 'x-a': '2' });
  });

  it('refuses a telemetry option it does not know, naming it', () => {
    const check = (telemetry: unknown) =>
      Test.createTestingModule({
        imports: [MessageBusModule.forRoot({ transport: 'memory', telemetry: telemetry as never })],
      }).compile();
    return Promise.all([
      expect(check({ traces: true })).rejects.toThrow(/telemetry\.traces is not an option/),
      expect(check({ metrics: 'yes' })).rejects.toThrow(MessageBusConfigurationError),
      expect(check({ queueDepthIntervalMs: 10 })).rejects.toThrow(
        /telemetry\.queueDepthIntervalMs/,
      ),
    ]);
  });
});
