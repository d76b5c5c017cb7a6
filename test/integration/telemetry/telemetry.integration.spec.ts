import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  ConsumerOrchestrator,
  MessageBusModule,
  MessageBusPublisher,
  type ConsumerStatus,
  type MessageBusModuleOptions,
} from 'nestjs-message-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerVariable, sqsEndpoint, uniqueName } from '../../support/broker-environment';
import { peerPython } from '../kafka/group-peers';
import {
  createTopics,
  kafkaOptions,
  producePayments,
  produceRaw,
} from '../runtime/kafka/kafka-runtime-kit';
import { createQueue, sendRaw } from '../runtime/sqs/sqs-consumer-kit';
import { ACCOUNT_ID, boto3Peer, emulatorSqsOptions, integrationClient } from '../sqs/sqs-test-kit';
import {
  chainHandlers,
  eventually,
  installOpenTelemetry,
  PAYER_NAME,
  payment,
  SERVICE_TOKEN,
  spansNamed,
  valueOf,
  type ChainNames,
  type OpenTelemetryHarness,
} from './telemetry-kit';

const run = promisify(execFile);
const KAFKA_READER = resolve(__dirname, 'kafka_python_reader.py');
const RETRY = { maxAttempts: 2, initialDelayMs: 100, maxDelayMs: 200 };

type Bus = 'sqs' | 'kafka';
const SYSTEM: Record<Bus, string> = { sqs: 'aws_sqs', kafka: 'kafka' };

/** Queues (with dead-letter queues) or topics (with `.dlq` topics) for the suite's app. */
async function destinations(bus: Bus): Promise<ChainNames & { peer: string }> {
  if (bus === 'sqs') {
    const client = integrationClient();
    const names = {} as Record<keyof ChainNames | 'peer', string>;
    for (const role of ['first', 'second', 'mix', 'gated', 'peer'] as const) {
      names[role] = await createQueue(client, `telemetry-${role}`);
    }
    await client.close();
    return names;
  }
  const names = {} as Record<keyof ChainNames | 'peer', string>;
  for (const role of ['first', 'second', 'mix', 'gated', 'peer'] as const) {
    names[role] = uniqueName(`telemetry-${role}`);
    await createTopics(names[role], 1);
  }
  return names;
}

async function moduleOptions(bus: Bus, names: ChainNames): Promise<MessageBusModuleOptions> {
  const roles = ['first', 'second', 'mix', 'gated'] as const;
  if (bus === 'sqs') {
    const client = integrationClient();
    const sqs = [];
    for (const role of roles) {
      sqs.push({
        queue: names[role],
        deadLetterQueue: await createQueue(client, `telemetry-${role}-dlq`),
        waitTimeSeconds: 1,
        visibilityTimeout: 5,
        concurrency: 5,
        retry: RETRY,
      });
    }
    await client.close();
    return {
      transport: 'sqs',
      sqs: emulatorSqsOptions(),
      consumers: { sqs },
      telemetry: { queueDepthIntervalMs: 1_000 },
    };
  }
  return {
    transport: 'kafka',
    kafka: kafkaOptions(),
    consumers: {
      kafka: roles.map((role) => ({
        topic: names[role],
        groupId: uniqueName(`telemetry-${role}-group`),
        fromBeginning: true,
        retry: RETRY,
      })),
    },
    telemetry: { queueDepthIntervalMs: 1_000 },
  };
}

/** Everything a span shows an exporter: it must never hold the payer's name or the token. */
function exported(spans: readonly ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((span) => ({
      name: span.name,
      attributes: span.attributes,
      status: span.status,
      events: span.events,
      links: span.links.map((link) => link.attributes ?? {}),
    })),
  );
}

describe.each<Bus>(['sqs', 'kafka'])('telemetry on %s with the real OpenTelemetry SDK', (bus) => {
  let otel: OpenTelemetryHarness;
  let app: TestingModule;
  let names: ChainNames & { peer: string };
  let chain: ReturnType<typeof chainHandlers>;
  const system = SYSTEM[bus];

  const statusOf = (destination: string): ConsumerStatus => {
    const found = app
      .get(ConsumerOrchestrator)
      .statuses()
      .find((status) => status.name.includes(destination));
    if (!found) throw new Error(`no consumer of ${destination}`);
    return found;
  };
  const one = (name: string): ReadableSpan => {
    const found = spansNamed(otel.spans, name);
    expect(found, name).toHaveLength(1);
    return found[0];
  };

  beforeAll(async () => {
    otel = installOpenTelemetry();
    names = await destinations(bus);
    chain = chainHandlers(names);
    app = await Test.createTestingModule({
      imports: [MessageBusModule.forRoot(await moduleOptions(bus, names))],
      controllers: [chain.handlers[0]],
      providers: [chain.handlers[1]],
    }).compile();
    await app.init();
  });

  afterAll(async () => {
    chain?.openGate();
    await app?.close();
    await otel?.close();
  });

  it('runs one trace from the publisher through the consumer into what its handler publishes, and on to the next consumer', async () => {
    await app.get(MessageBusPublisher).publish(payment('chain'), names.first, {
      headers: { 'x-tenant': 'acme' },
      key: 'customer-7',
    });

    await eventually(
      () =>
        spansNamed(otel.spans, `process ${names.second}`).length === 1 &&
        spansNamed(otel.spans, `process ${names.first}`).length === 1,
      () =>
        `spans so far: ${otel.spans
          .getFinishedSpans()
          .map((s) => s.name)
          .join(', ')}`,
    );
    const sendFirst = one(`send ${names.first}`);
    const processFirst = one(`process ${names.first}`);
    const sendSecond = one(`send ${names.second}`);
    const processSecond = one(`process ${names.second}`);

    const traceId = sendFirst.spanContext().traceId;
    for (const span of [processFirst, sendSecond, processSecond]) {
      expect(span.spanContext().traceId, span.name).toBe(traceId);
    }
    expect(sendFirst.parentSpanContext).toBeUndefined();
    expect(processFirst.parentSpanContext?.spanId).toBe(sendFirst.spanContext().spanId);
    expect(processFirst.links.map((link) => link.context.spanId)).toEqual([
      sendFirst.spanContext().spanId,
    ]);
    expect(sendSecond.parentSpanContext?.spanId).toBe(processFirst.spanContext().spanId);
    expect(processSecond.parentSpanContext?.spanId).toBe(sendSecond.spanContext().spanId);
    expect([sendFirst.kind, processFirst.kind, sendSecond.kind, processSecond.kind]).toEqual([
      SpanKind.PRODUCER,
      SpanKind.CONSUMER,
      SpanKind.PRODUCER,
      SpanKind.CONSUMER,
    ]);

    expect(sendFirst.attributes).toMatchObject({
      'messaging.system': system,
      'messaging.destination.name': names.first,
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.bus.message_type': 'PAYMENT',
    });
    expect(processFirst.attributes).toMatchObject({
      'messaging.system': system,
      'messaging.destination.name': names.first,
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.bus.attempt': 1,
      'messaging.bus.outcome': 'handled',
      'messaging.bus.message_type': 'PAYMENT',
    });
    expect(processFirst.status.code).toBe(SpanStatusCode.UNSET);

    const [first] = chain.seen.filter((seen) => seen.source === names.first);
    const [second] = chain.seen.filter((seen) => seen.source === names.second);
    if (bus === 'sqs') {
      expect(sendFirst.attributes['messaging.message.id']).toEqual(expect.any(String));
      expect(processFirst.attributes['messaging.message.id']).toBe(
        sendFirst.attributes['messaging.message.id'],
      );
    } else {
      expect(sendFirst.attributes).toMatchObject({
        'messaging.destination.partition.id': '0',
        'messaging.kafka.offset': 0,
      });
      expect(processFirst.attributes).toMatchObject({
        'messaging.destination.partition.id': '0',
        'messaging.kafka.offset': 0,
        'messaging.consumer.group.name': expect.stringContaining('telemetry-first-group'),
        'messaging.kafka.message.key': 'customer-7',
      });
      // The key as the handler reads it (decoded when first asked for).
      expect(first.key).toBe('customer-7');
    }

    // The headers arrived beside the body: the app's own and the W3C trace context.
    expect(first.headers['x-tenant']).toBe('acme');
    expect(first.headers.traceparent).toBe(`00-${traceId}-${sendFirst.spanContext().spanId}-01`);
    expect(second.headers['x-hop']).toBe('2');
    expect(second.headers.traceparent).toBe(`00-${traceId}-${sendSecond.spanContext().spanId}-01`);
    // The process span is the active one while the handler runs.
    expect(first.spanId).toBe(processFirst.spanContext().spanId);
    expect(second.spanId).toBe(processSecond.spanContext().spanId);
  });

  it('counts handled, retried then handled, dead-lettered and rejected-invalid deliveries by outcome and reason', async () => {
    const publisher = app.get(MessageBusPublisher);
    for (const reference of ['ok', 'flaky', 'poison']) {
      await publisher.publish(payment(reference), names.mix);
    }
    if (bus === 'sqs') await sendRaw(names.mix, 'not json at all');
    else await produceRaw(names.mix, [{ value: 'not json at all' }]);

    await eventually(
      () => statusOf(names.mix).handled === 2 && statusOf(names.mix).deadLettered === 2,
      () => JSON.stringify(statusOf(names.mix)),
      45_000,
    );
    const base = { 'messaging.system': system, 'messaging.destination.name': names.mix };
    const deliveries = await otel.points('messaging.bus.deliveries');
    const count = (outcome: string, reason?: string) =>
      valueOf(deliveries, {
        ...base,
        'messaging.bus.outcome': outcome,
        ...(reason === undefined ? {} : { 'messaging.bus.reason': reason }),
      });
    expect(count('handled')).toBe(2);
    expect(count('retried', 'handler-error')).toBe(2);
    expect(count('dead-lettered', 'handler-error')).toBe(1);
    expect(count('dead-lettered', 'invalid-message')).toBe(1);
    expect(
      deliveries.filter((point) => point.attributes['messaging.destination.name'] === names.mix),
    ).toHaveLength(4);

    const durations = await otel.points('messaging.process.duration');
    // ok, flaky twice, poison twice, the invalid one.
    expect((valueOf(durations, base) as Histogram).count).toBe(6);

    const processMix = spansNamed(otel.spans, `process ${names.mix}`);
    const invalid = processMix.find(
      (span) => span.attributes['messaging.bus.reason'] === 'invalid-message',
    );
    expect(invalid?.status.code).toBe(SpanStatusCode.ERROR);
    expect(invalid?.status.message).toMatch(/^invalid-message: MessageValidationError/);
    expect(invalid?.attributes['messaging.bus.outcome']).toBe('dead-lettered');
    const retried = processMix.filter(
      (span) => span.attributes['messaging.bus.outcome'] === 'retried',
    );
    expect(retried.map((span) => span.attributes['messaging.bus.attempt'])).toEqual([1, 1]);
    expect(retried.every((span) => span.status.code === SpanStatusCode.ERROR)).toBe(true);
    expect(exported(otel.spans.getFinishedSpans())).not.toContain(PAYER_NAME);
    expect(exported(otel.spans.getFinishedSpans())).not.toContain(SERVICE_TOKEN);
  });

  it(
    bus === 'kafka'
      ? 'reports in-flight deliveries and the consumer lag per partition, from fetches already made'
      : 'reports in-flight deliveries and the sampled approximate depth of the queue',
    async () => {
      const references = ['open', 'held-1', 'held-2', 'held-3'];
      if (bus === 'kafka') {
        // One produce request, so that the first fetch sees all four: the lag is as of the
        // latest fetch, and a partition busy with its batch is not fetched again meanwhile.
        await producePayments(
          names.gated,
          references.map((reference) => ({ reference })),
        );
      } else {
        const publisher = app.get(MessageBusPublisher);
        for (const reference of references)
          await publisher.publish(payment(reference), names.gated);
      }
      const base = { 'messaging.system': system, 'messaging.destination.name': names.gated };
      /** The in-flight gauge and the backlog: Kafka lag of partition 0, or SQS depth in `state`. */
      const gaugesAre = async (
        state: 'visible' | 'in_flight',
        inFlight: number,
        backlog: number,
      ): Promise<void> => {
        let seen = '';
        await eventually(
          async () => {
            const now = {
              inFlight: valueOf(await otel.points('messaging.bus.in_flight'), base),
              backlog:
                bus === 'kafka'
                  ? valueOf(await otel.points('messaging.bus.kafka.consumer.lag'), {
                      ...base,
                      'messaging.destination.partition.id': '0',
                    })
                  : valueOf(await otel.points('messaging.bus.sqs.queue.depth'), { ...base, state }),
            };
            seen = JSON.stringify(now);
            return now.inFlight === inFlight && now.backlog === backlog;
          },
          () => `gauges: ${seen}`,
        );
      };

      // Kafka works through a partition one message at a time; SQS holds all three at once.
      await gaugesAre('in_flight', bus === 'kafka' ? 1 : 3, 3);
      chain.openGate();
      await eventually(
        () => statusOf(names.gated).handled === 4,
        () => JSON.stringify(statusOf(names.gated)),
      );
      await gaugesAre('visible', 0, 0);
    },
  );

  it('leaves the body as the Python client reads it: a Python peer reads a message carrying trace headers', async () => {
    const message = payment('python');
    const tracer = trace.getTracer('telemetry-test');
    await tracer.startActiveSpan('caller', async (span) => {
      await app
        .get(MessageBusPublisher)
        .publish(message, names.peer, { headers: { 'x-app': 'a' } });
      span.end();
    });
    if (bus === 'sqs') {
      const received = await boto3Peer<{ received: boolean; body: string; redumped: string }>(
        'receive',
        `${sqsEndpoint()}/${ACCOUNT_ID}/${names.peer}`,
      );
      expect(received.received).toBe(true);
      expect(received.body).toBe(message.serialize());
      expect(received.redumped).toBe(received.body);
    } else {
      const { stdout } = await run(
        peerPython(),
        [KAFKA_READER, brokerVariable('KAFKA_BOOTSTRAP_SERVERS'), names.peer, '1'],
        { timeout: 45_000 },
      );
      const [record] = (
        JSON.parse(stdout) as {
          records: Array<{
            body: string;
            redumped: string;
            instruction_type: string;
            header_names: string[];
          }>;
        }
      ).records;
      expect(record.header_names).toEqual(['traceparent', 'x-app']);
      expect(record.instruction_type).toBe('PAYMENT');
      expect(record.body).toBe(message.serialize());
      expect(record.redumped).toBe(record.body);
    }
  });
});
