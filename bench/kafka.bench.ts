import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Kafka, logLevel, type Consumer, type Message } from 'kafkajs';
import { OnInstruction } from '../lib/decorators/on-instruction.decorator';
import type { DispatchOutcome } from '../lib/dispatch/delivery-outcome';
import { RetryPolicy } from '../lib/dispatch/retry-policy';
import { DEFAULT_UNHANDLED_POLICY } from '../lib/dispatch/unhandled-policy';
import { InstructionType } from '../lib/message/instruction-type.enum';
import { MessageBusMessage } from '../lib/message/message-bus-message';
import { MessageBusModule } from '../lib/message-bus.module';
import { KafkaClient } from '../lib/transports/kafka/kafka.client';
import { KafkaConsumer } from '../lib/transports/kafka/kafka.consumer';

export interface KafkaBenchOptions {
  /** Envelopes produced once and consumed by both sides. 20 000–100 000 is a useful range. */
  readonly messages: number;
  /** The Kafka to run against, e.g. `127.0.0.1:9092` (PLAINTEXT). */
  readonly bootstrapServers: string;
  /** Partitions of the bench topic, all consumed in parallel by both sides. Default 6. */
  readonly partitions?: number;
}

export interface KafkaBenchResult {
  /**
   * Raw kafkajs `eachBatch`, resolving every message and committing per batch, parsing nothing;
   * measured before and after the library, and the faster of the two runs is kept.
   */
  readonly rawMsgsPerSec: number;
  /** The library end to end: fetch, parse, validate, dispatch to a no-op handler, commit. */
  readonly libraryMsgsPerSec: number;
  /** library / raw. */
  readonly ratio: number;
  /**
   * The consumer runtime alone (KafkaConsumer: fetch, per-message delivery, retry bookkeeping,
   * resolve, commit) with a handler that returns "handled" without parsing: what the runtime
   * costs on top of raw kafkajs, apart from envelope validation and handler invocation.
   */
  readonly runtimeOnlyMsgsPerSec: number;
  /** runtimeOnly / raw. */
  readonly runtimeOnlyRatio: number;
  /**
   * Raw kafkajs as above plus `JSON.parse` of each value, and nothing else: the ceiling of any
   * consumer that reads its messages at all, for judging `ratio`.
   */
  readonly rawJsonMsgsPerSec: number;
  /** Highest resident set size of this process while the library drained the topic. */
  readonly peakRssMb: number;
  /** RSS while the library drained the backlog: at its first message, after each tenth of it, and at the end. */
  readonly libraryRssMb: readonly number[];
  /** Time to connect and join the group, left out of both rates. */
  readonly rawStartMs: number;
  readonly libraryStartMs: number;
  readonly messages: number;
  readonly partitions: number;
}

/**
 * Measures, in one process against one Kafka and on the same data, how fast the library
 * consumes compared with kafkajs doing nothing but fetch and commit. Both start a fresh
 * group at the beginning of a topic that already holds every message, and both are timed
 * from their first message to their last, so that the group join (a broker-side constant)
 * does not flatter either rate. No test framework: call it from a script.
 */
export async function runKafkaBench(options: KafkaBenchOptions): Promise<KafkaBenchResult> {
  const partitions = options.partitions ?? 6;
  const kafka = new Kafka({
    clientId: 'kafka-bench',
    brokers: [options.bootstrapServers],
    logLevel: logLevel.ERROR,
  });
  const topic = `kafka-bench-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: partitions }],
    });
    await produceEnvelopes(kafka, topic, options.messages);

    const firstRaw = await consumeRaw(kafka, topic, options.messages, partitions, 'raw-1');
    const runtimeOnly = await consumeWithRuntimeOnly(
      options.bootstrapServers,
      topic,
      options.messages,
      partitions,
    );
    const library = await consumeWithLibrary(
      options.bootstrapServers,
      topic,
      options.messages,
      partitions,
    );
    // Raw again once everything is warm (JIT, broker page cache); the faster run is the baseline,
    // so running first never counts against it.
    const secondRaw = await consumeRaw(kafka, topic, options.messages, partitions, 'raw-2');
    const raw = firstRaw.drainMs <= secondRaw.drainMs ? firstRaw : secondRaw;
    const rawJson = await consumeRaw(kafka, topic, options.messages, partitions, 'raw-json', true);

    const rawMsgsPerSec = Math.round(options.messages / (raw.drainMs / 1_000));
    const libraryMsgsPerSec = Math.round(options.messages / (library.drainMs / 1_000));
    const runtimeOnlyMsgsPerSec = Math.round(options.messages / (runtimeOnly.drainMs / 1_000));
    const rawJsonMsgsPerSec = Math.round(options.messages / (rawJson.drainMs / 1_000));
    return {
      rawMsgsPerSec,
      libraryMsgsPerSec,
      ratio: Math.round((libraryMsgsPerSec / rawMsgsPerSec) * 100) / 100,
      runtimeOnlyMsgsPerSec,
      runtimeOnlyRatio: Math.round((runtimeOnlyMsgsPerSec / rawMsgsPerSec) * 100) / 100,
      rawJsonMsgsPerSec,
      peakRssMb: library.peakRssMb,
      libraryRssMb: library.rssMb,
      rawStartMs: raw.startMs,
      libraryStartMs: library.startMs,
      messages: options.messages,
      partitions,
    };
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

/** N valid PAYMENT envelopes, each with its own idempotency key, spread over 64 keys. */
async function produceEnvelopes(kafka: Kafka, topic: string, count: number): Promise<void> {
  const template = MessageBusMessage.create({
    source: 'BANKING_SERVICE',
    instructionType: InstructionType.PAYMENT,
    serviceToken: 'bench.service.token',
    payload: {
      external_reference: 'EXT-BENCH',
      payer_name: 'Zoë Müller',
      currency: 'EUR',
      value: '1250.00',
      source: 'BANK',
      reference: 'REF-BENCH',
      direction: 'INBOUND',
      bank_account_number: 'GB29NWBK60161331926819',
    },
  });
  const text = template.serialize();
  const key = template.meta_data.idempotency_key;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let start = 0; start < count; start += 2_000) {
      const messages: Message[] = [];
      for (let index = start; index < Math.min(count, start + 2_000); index += 1) {
        messages.push({ key: `customer-${index % 64}`, value: text.replace(key, randomUUID()) });
      }
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** The same consumer settings the library's defaults give kafkajs. */
function consumerSettings(groupId: string) {
  return { groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000, maxWaitTimeInMs: 500 };
}

async function consumeRaw(
  kafka: Kafka,
  topic: string,
  count: number,
  partitions: number,
  name: string,
  parse = false,
): Promise<{ startMs: number; drainMs: number }> {
  const consumer: Consumer = kafka.consumer(consumerSettings(`${topic}-${name}`));
  let seen = 0;
  let first = 0;
  let last = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const started = Date.now();
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: partitions,
      eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
        first ||= Date.now();
        for (const message of batch.messages) {
          if (parse) JSON.parse((message.value as Buffer).toString('utf8'));
          resolveOffset(message.offset);
          seen += 1;
        }
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        await commitOffsetsIfNecessary({
          topics: [{ topic, partitions: [{ partition: batch.partition, offset: next }] }],
        });
        if (seen >= count && !last) {
          last = Date.now();
          done();
        }
      },
    });
    await finished;
    return { startMs: first - started, drainMs: last - first };
  } finally {
    await consumer.disconnect();
  }
}

async function consumeWithRuntimeOnly(
  bootstrapServers: string,
  topic: string,
  count: number,
  partitions: number,
): Promise<{ drainMs: number }> {
  const client = new KafkaClient({
    bootstrapServers,
    securityProtocol: 'PLAINTEXT',
    logLevel: 'error',
  });
  const message = MessageBusMessage.create({
    source: 'BANKING_SERVICE',
    instructionType: InstructionType.PAYMENT,
    serviceToken: 'bench.service.token',
    payload: {
      external_reference: 'E',
      currency: 'EUR',
      value: '1',
      source: 'BANK',
      reference: 'R',
      direction: 'INBOUND',
    },
  });
  const outcome: DispatchOutcome = { status: 'handled', message, handlers: 1 };
  const counter = new BenchCounter();
  const consumer = new KafkaConsumer(
    client,
    {
      topic,
      groupId: `${topic}-runtime`,
      deadLetterTopic: `${topic}.dlq`,
      retry: new RetryPolicy(),
      unhandled: DEFAULT_UNHANDLED_POLICY,
      partitionsConcurrency: partitions,
      members: 1,
      fromBeginning: true,
    },
    async () => {
      counter.first ||= Date.now();
      counter.seen += 1;
      if (counter.seen === count) {
        counter.last = Date.now();
        counter.done();
      }
      return outcome;
    },
  );
  try {
    await consumer.start();
    await counter.finished;
    return { drainMs: counter.last - counter.first };
  } finally {
    await consumer.stop(5_000);
    await client.close();
  }
}

/** Counts what the no-op handler sees; the bench module reads it. */
class BenchCounter {
  seen = 0;
  first = 0;
  last = 0;
  target = 0;
  done!: () => void;
  readonly finished = new Promise<void>((resolve) => (this.done = resolve));
}

async function consumeWithLibrary(
  bootstrapServers: string,
  topic: string,
  count: number,
  partitions: number,
): Promise<{ startMs: number; drainMs: number; peakRssMb: number; rssMb: number[] }> {
  const counter = new BenchCounter();
  counter.target = count;

  @Injectable()
  class NoOpPaymentHandler {
    @OnInstruction(InstructionType.PAYMENT)
    onPayment(): void {
      counter.first ||= Date.now();
      counter.seen += 1;
      if (counter.seen === counter.target) {
        counter.last = Date.now();
        counter.done();
      }
    }
  }

  @Module({
    imports: [
      MessageBusModule.forRoot({
        transport: 'kafka',
        kafka: { bootstrapServers, securityProtocol: 'PLAINTEXT' },
        consumers: {
          kafka: [{ topic, groupId: `${topic}-library`, partitionsConcurrency: partitions }],
        },
      }),
    ],
    providers: [NoOpPaymentHandler],
  })
  class BenchModule {}

  let peak = 0;
  const rssMb: number[] = [];
  const tenth = Math.max(1, Math.floor(count / 10));
  let nextMark = 0;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage().rss / 1_048_576;
    peak = Math.max(peak, rss);
    if (counter.first && counter.seen >= nextMark && rssMb.length < 10) {
      rssMb.push(Math.round(rss));
      nextMark += tenth;
    }
  }, 25);
  const started = Date.now();
  let app: INestApplicationContext | undefined;
  try {
    app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error'] });
    await app.init();
    await counter.finished;
    rssMb.push(Math.round(process.memoryUsage().rss / 1_048_576));
    return {
      startMs: counter.first - started,
      drainMs: counter.last - counter.first,
      peakRssMb: Math.round(peak),
      rssMb,
    };
  } finally {
    clearInterval(sampler);
    await app?.close();
  }
}
