import { Injectable, type Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { Kafka, logLevel, type IHeaders, type KafkaMessage, type Message } from 'kafkajs';
import {
  ConsumerOrchestrator,
  InstructionType,
  MessageBusContext,
  MessageBusMessage,
  MessageBusModule,
  OnInstruction,
  PaymentPayload,
  type ConsumerStatus,
  type KafkaConsumerOptions,
} from 'nestjs-message-bus';
import { KafkaClient } from '../../../../lib/transports/kafka/kafka.client';
import type { KafkaClientOptions } from '../../../../lib/transports/kafka/kafka-client-options.interface';
import { brokerVariable, uniqueName } from '../../../support/broker-environment';
import { buildPaymentMessage } from '../../../support/payment-message';

export { uniqueName };

export const SERVICE_TOKEN = 'integration.service.token';

/**
 * Client settings for the suites: short group timings, so that joins, rebalances and
 * shutdowns take a fraction of a second (6 s is the broker's minimum session timeout).
 */
export function kafkaOptions(overrides: KafkaClientOptions = {}): KafkaClientOptions {
  return {
    bootstrapServers: brokerVariable('KAFKA_BOOTSTRAP_SERVERS'),
    securityProtocol: 'PLAINTEXT',
    sessionTimeoutMs: 6_000,
    heartbeatIntervalMs: 300,
    maxWaitTimeMs: 100,
    ...overrides,
  };
}

/** A plain kafkajs client for what the library does not do itself: admin, raw produce, reading back. */
export function rawKafka(): Kafka {
  return new Kafka({
    clientId: 'kafka-runtime-tests',
    brokers: [brokerVariable('KAFKA_BOOTSTRAP_SERVERS')],
    logLevel: logLevel.NOTHING,
  });
}

/** Creates `topic` and its dead-letter topic, with `partitions` partitions each. */
export async function createTopics(
  topic: string,
  partitions: number,
  deadLetterPartitions = 1,
): Promise<void> {
  const admin = rawKafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic, numPartitions: partitions },
        { topic: `${topic}.dlq`, numPartitions: deadLetterPartitions },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

/** The group's committed offset of each partition of `topic` (`-1` when none). */
export async function committedOffsets(
  groupId: string,
  topic: string,
): Promise<Map<number, number>> {
  const admin = rawKafka().admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(entry.partitions.map(({ partition, offset }) => [partition, Number(offset)]));
  } finally {
    await admin.disconnect();
  }
}

/** Records in `topic` (all partitions), from its offsets. */
export async function recordCount(topic: string): Promise<number> {
  const admin = rawKafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** A PAYMENT instruction whose `reference` says which test message it is. */
export function payment(reference: string): MessageBusMessage {
  return buildPaymentMessage({ reference, payerName: 'Zoë Müller', serviceToken: SERVICE_TOKEN });
}

/** Sends records as they are (any bytes, any headers), e.g. for poison messages. */
export async function produceRaw(topic: string, messages: Message[]): Promise<void> {
  const producer = rawKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

/** Sends PAYMENT messages through the library's client, each with its key. */
export async function producePayments(
  topic: string,
  entries: Array<{ reference: string; key?: string }>,
  options: KafkaClientOptions = {},
): Promise<void> {
  const client = new KafkaClient(kafkaOptions(options));
  try {
    await client.sendMessages(
      entries.map(({ reference, key }) => ({ message: payment(reference), key })),
      topic,
    );
  } finally {
    await client.close();
  }
}

export interface ReadRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

/** Reads `count` records of `topic` from the start, in a fresh group; fails after `timeoutMs`. */
export async function readRecords(
  topic: string,
  count: number,
  timeoutMs = 20_000,
): Promise<ReadRecord[]> {
  const consumer = rawKafka().consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
  const records: ReadRecord[] = [];
  let enough!: () => void;
  const done = new Promise<void>((resolve) => (enough = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push(toRecord(partition, message));
        if (records.length >= count) enough();
      },
    });
    await within(done, timeoutMs, () => `read ${records.length} of ${count} records from ${topic}`);
    return records;
  } finally {
    await consumer.disconnect();
  }
}

function toRecord(partition: number, message: KafkaMessage): ReadRecord {
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value,
    headers: textHeaders(message.headers),
  };
}

function textHeaders(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined)
      text[name] = String(Array.isArray(value) ? value[value.length - 1] : value);
  }
  return text;
}

/** One handler call a suite recorded: which message, which attempt, when and where from. */
export interface HandlerCall {
  readonly reference: string;
  readonly attempt: number;
  readonly at: number;
  readonly partition: number;
  readonly offset: number;
}

/** What a PAYMENT handler of a test does; `reference` names the message. */
export type PaymentBehaviour = (
  payment: PaymentPayload,
  context: MessageBusContext,
) => Promise<void> | void;

/** A fresh provider class with one `@OnInstruction(PAYMENT)` handler that runs `behaviour`. */
export function paymentHandler(behaviour: PaymentBehaviour): Type<unknown> {
  @Injectable()
  class PaymentHandler {
    @OnInstruction(InstructionType.PAYMENT)
    async onPayment(payment: PaymentPayload, context: MessageBusContext): Promise<void> {
      await behaviour(payment, context);
    }
  }
  return PaymentHandler;
}

export interface BusAppOptions {
  readonly consumer: KafkaConsumerOptions;
  readonly behaviour: PaymentBehaviour;
  readonly shutdownTimeoutMs?: number;
  readonly kafka?: KafkaClientOptions;
}

/** A real Nest app with MessageBusModule on Kafka, consuming one topic; `init()` has run (group joined). */
export async function startBusApp(options: BusAppOptions): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [
      MessageBusModule.forRoot({
        transport: 'kafka',
        kafka: kafkaOptions(options.kafka),
        consumers: { kafka: [options.consumer] },
        shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000,
      }),
    ],
    providers: [paymentHandler(options.behaviour)],
  }).compile();
  await app.init();
  return app;
}

export function statusOf(app: TestingModule): ConsumerStatus {
  const [status] = app.get(ConsumerOrchestrator).statuses();
  return status;
}

/** Polls `check` until it returns true; fails with `describe()` after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function within<T>(work: Promise<T>, timeoutMs: number, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Timed out after ${timeoutMs} ms: ${describe()}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
