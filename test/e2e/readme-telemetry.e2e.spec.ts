import { metrics, trace, type ProxyTracerProvider } from '@opentelemetry/api';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { Test, type TestingModule } from '@nestjs/testing';
import { MessageBusModule, MessageBusPublisher } from 'nestjs-message-bus';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { chainHandlers, eventually, payment } from '../integration/telemetry/telemetry-kit';
import { readmeExample } from '../support/readme-examples';

/** An app on the in-memory bus whose `first` handler publishes on to `second`. */
async function chainApp(): Promise<{ app: TestingModule; seen: () => number }> {
  const chain = chainHandlers({ first: 'first', second: 'second', mix: 'mix', gated: 'gated' });
  const app = await Test.createTestingModule({
    imports: [
      MessageBusModule.forRoot({
        transport: 'memory',
        consumers: { sqs: [{ queue: 'first' }, { queue: 'second' }] },
      }),
    ],
    controllers: [chain.handlers[0]],
    providers: [chain.handlers[1]],
  }).compile();
  await app.init();
  return { app, seen: () => chain.seen.length };
}

interface PrintedSpan {
  readonly name: string;
  readonly traceId: string;
  readonly id: string;
  readonly parentSpanContext?: { readonly spanId: string };
}

describe('README Tracing and metrics examples run as written', () => {
  afterAll(() => vi.restoreAllMocks());

  it('tracing setup: the console exporter prints one trace from publish to the second consumer', async () => {
    const printed: PrintedSpan[] = [];
    const keep = (value: unknown) => {
      if (typeof value === 'object' && value !== null && 'traceId' in value)
        printed.push(value as PrintedSpan);
    };
    vi.spyOn(console, 'dir').mockImplementation(keep);
    vi.spyOn(console, 'log').mockImplementation(keep);
    await import(readmeExample('tracing-setup'));
    const { app, seen } = await chainApp();
    await app.get(MessageBusPublisher).publish(payment('readme'), 'first');
    await eventually(
      () => seen() === 2,
      () => 'the second consumer never ran',
      10_000,
    );
    const provider = (trace.getTracerProvider() as ProxyTracerProvider).getDelegate();
    await eventually(
      async () => {
        await (provider as BasicTracerProvider).forceFlush();
        return ['process first', 'process second'].every((name) =>
          printed.some((span) => span.name === name),
        );
      },
      () => `printed: ${printed.map((span) => span.name).join(', ')}`,
      10_000,
    );
    await app.close();
    const byName = new Map(printed.map((span) => [span.name, span]));
    const names = ['send first', 'process first', 'send second', 'process second'];
    const chain = names.map((name) => byName.get(name) as PrintedSpan);
    expect(chain.every(Boolean)).toBe(true);
    expect(new Set(chain.map((span) => span.traceId)).size).toBe(1);
    for (let index = 1; index < chain.length; index += 1) {
      expect(chain[index].parentSpanContext?.spanId, names[index]).toBe(chain[index - 1].id);
    }
    await (provider as BasicTracerProvider).shutdown();
  });

  it('prometheus: /metrics, scraped over HTTP, shows the bus metrics', async () => {
    const port = 20_000 + (process.pid % 10_000);
    process.env.METRICS_PORT = String(port);
    await import(readmeExample('prometheus-metrics'));
    const { app, seen } = await chainApp();
    try {
      await app.get(MessageBusPublisher).publish(payment('scraped'), 'first');
      await eventually(
        () => seen() === 2,
        () => 'the second consumer never ran',
        10_000,
      );
      let text = '';
      await eventually(
        async () => {
          const response = await fetch(`http://127.0.0.1:${port}/metrics`);
          text = await response.text();
          return response.ok && text.includes('messaging_bus_deliveries');
        },
        () => `scraped: ${text.slice(0, 500)}`,
        10_000,
      );
      expect(text).toMatch(
        /^messaging_bus_deliveries_total\{[^}]*messaging_destination_name="second"[^}]*messaging_bus_outcome="handled"[^}]*\} 1/m,
      );
      expect(text).toMatch(/^messaging_process_duration_count\{[^}]*\} 1/m);
      expect(text).toMatch(
        /^messaging_bus_in_flight\{[^}]*messaging_destination_name="first"[^}]*\} 0/m,
      );
    } finally {
      await app.close();
      await (metrics.getMeterProvider() as MeterProvider).shutdown();
    }
  });
});
