/**
 * SQS consumer throughput and memory, against a running ElasticMQ (or any SQS endpoint).
 *
 *   node --import @swc-node/register bench/sqs.bench.ts [messages] [endpoint] [drain-messages]
 *
 * or import `runSqsBench` / `runSqsDrainMemoryCheck` from a runner of your own. Decorators
 * need a transpiler that emits their metadata (SWC does; esbuild does not). No test framework.
 */
import 'reflect-metadata';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OnInstruction } from '../lib/decorators/on-instruction.decorator';
import type { SqsConsumerOptions } from '../lib/interfaces/consumer-options.interface';
import { MessageBusModule } from '../lib/message-bus.module';
import { InstructionType } from '../lib/message/instruction-type.enum';
import { MessageBusMessage } from '../lib/message/message-bus-message';
import { ConsumerOrchestrator } from '../lib/runtime/consumer.orchestrator';
import { SqsClient } from '../lib/transports/sqs/sqs.client';

export interface SqsBenchOptions {
  /** Messages pre-loaded into each of the two queues. */
  readonly messages: number;
  /** The SQS endpoint, e.g. `http://127.0.0.1:9324`. */
  readonly endpoint: string;
  /** Library consumer settings; defaults suit a local ElasticMQ. */
  readonly concurrency?: number;
  readonly pollers?: number;
  /** Give up on a phase after this long. Default 5 minutes. */
  readonly timeoutMs?: number;
}

export interface SqsBenchResult {
  /** The plain SDK loop: receive 10, DeleteMessageBatch, repeat. */
  readonly rawMsgsPerSec: number;
  /** MessageBusModule end to end: receive, parse, validate, dispatch, delete. */
  readonly libraryMsgsPerSec: number;
  /** libraryMsgsPerSec / rawMsgsPerSec. */
  readonly ratio: number;
  /** Highest resident set size sampled during either run, in MiB. */
  readonly peakRssMb: number;
  readonly details: {
    readonly messages: number;
    readonly rawSeconds: number;
    readonly librarySeconds: number;
    /** `app.close()` after the drain, not timed in `librarySeconds`. */
    readonly libraryCloseSeconds: number;
    readonly concurrency: number;
    readonly pollers: number;
    readonly rawPeakRssMb: number;
    readonly libraryPeakRssMb: number;
  };
}

export interface SqsDrainMemoryOptions {
  /** Backlog to drain, e.g. 20 000 - 100 000. */
  readonly messages: number;
  readonly endpoint: string;
  readonly concurrency?: number;
  readonly pollers?: number;
  /** Stop draining after this long, drained or not. Default 120 s. */
  readonly maxDrainMs?: number;
}

export interface SqsDrainMemoryResult {
  readonly backlog: number;
  readonly handled: number;
  readonly drainSeconds: number;
  /** RSS once the app is up, before it receives anything. */
  readonly baselineRssMb: number;
  readonly peakRssMb: number;
  /** RSS at each tenth of the drain: flat when prefetch is bounded. */
  readonly rssByDecileMb: number[];
  /** Heap used after the drain, after a GC when `--expose-gc` is on. */
  readonly heapUsedAfterMb: number;
}

const ACCOUNT_ID = '000000000000';
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
const REGION = 'eu-west-1';
const SERVICE_TOKEN = 'bench.service.token';

/** Counts what the no-op handler saw; one per process, reset per run. */
const seen = { count: 0 };

@Injectable()
class NoopPaymentHandler {
  @OnInstruction(InstructionType.PAYMENT)
  onPayment(): void {
    seen.count += 1;
  }
}

/**
 * Pre-loads the same N envelopes into two queues, then drains one with a plain SDK loop and
 * the other with MessageBusModule, and compares messages per second.
 */
export async function runSqsBench(options: SqsBenchOptions): Promise<SqsBenchResult> {
  const { messages, endpoint } = options;
  const concurrency = options.concurrency ?? 100;
  const pollers = options.pollers ?? 10;
  const timeoutMs = options.timeoutMs ?? 300_000;
  const setup = setupClient(endpoint);
  try {
    const suffix = `${process.pid}-${Date.now().toString(36)}`;
    const rawQueue = `bench-raw-${suffix}`;
    const libraryQueue = `bench-lib-${suffix}`;
    for (const queue of [rawQueue, libraryQueue])
      await setup.createQueue(queue, { VisibilityTimeout: '60' });
    const bodies = envelopes(messages);
    await Promise.all([preload(setup, rawQueue, bodies), preload(setup, libraryQueue, bodies)]);

    const raw = await measure(() => drainRaw(endpoint, rawQueue, messages, timeoutMs));
    await assertEmpty(setup, rawQueue);
    const library = await drainWithLibrary(
      endpoint,
      libraryQueue,
      messages,
      { concurrency, pollers },
      timeoutMs,
      setup,
    );
    await assertEmpty(setup, libraryQueue);
    for (const queue of [rawQueue, libraryQueue]) await setup.deleteQueue(queue);

    const rawMsgsPerSec = messages / raw.seconds;
    const libraryMsgsPerSec = messages / library.seconds;
    return {
      rawMsgsPerSec: round(rawMsgsPerSec),
      libraryMsgsPerSec: round(libraryMsgsPerSec),
      ratio: round(libraryMsgsPerSec / rawMsgsPerSec, 2),
      peakRssMb: Math.max(raw.peakRssMb, library.peakRssMb),
      details: {
        messages,
        rawSeconds: round(raw.seconds, 2),
        librarySeconds: round(library.seconds, 2),
        libraryCloseSeconds: round(library.closeSeconds, 2),
        concurrency,
        pollers,
        rawPeakRssMb: raw.peakRssMb,
        libraryPeakRssMb: library.peakRssMb,
      },
    };
  } finally {
    await setup.close();
  }
}

/**
 * Bounded memory: pre-loads a large backlog, drains it with the library and samples RSS all
 * along. With prefetch bounded by `concurrency`, RSS stays flat however big the backlog.
 */
export async function runSqsDrainMemoryCheck(
  options: SqsDrainMemoryOptions,
): Promise<SqsDrainMemoryResult> {
  const { messages, endpoint } = options;
  const maxDrainMs = options.maxDrainMs ?? 120_000;
  const setup = setupClient(endpoint);
  const queue = `bench-drain-${process.pid}-${Date.now().toString(36)}`;
  try {
    await setup.createQueue(queue, { VisibilityTimeout: '60' });
    await preload(setup, queue, envelopes(messages));

    seen.count = 0;
    const app = await createBenchApp(endpoint, queue, {
      concurrency: options.concurrency ?? 100,
      pollers: options.pollers ?? 10,
    });
    const baselineRssMb = rssMb();
    const sampler = startRssSampler();
    const deciles: number[] = [];
    const started = Date.now();
    await app.init();
    while (seen.count < messages && Date.now() - started < maxDrainMs) {
      while (deciles.length < Math.floor((seen.count / messages) * 10)) deciles.push(rssMb());
      await pause(20);
    }
    const drainSeconds = (Date.now() - started) / 1_000;
    const handled = seen.count;
    await app.close();
    while (deciles.length < 10 && handled >= messages) deciles.push(rssMb());
    const peakRssMb = sampler.stop();
    (globalThis as { gc?: () => void }).gc?.();
    return {
      backlog: messages,
      handled,
      drainSeconds: round(drainSeconds, 2),
      baselineRssMb,
      peakRssMb,
      rssByDecileMb: deciles,
      heapUsedAfterMb: Math.round(process.memoryUsage().heapUsed / 1_048_576),
    };
  } finally {
    await setup.deleteQueue(queue).catch(() => undefined);
    await setup.close();
  }
}

/** The plain SDK loop the library is measured against: one receive of 10, one batch delete. */
async function drainRaw(
  endpoint: string,
  queue: string,
  messages: number,
  timeoutMs: number,
): Promise<void> {
  const sdk = new SQSClient({ region: REGION, endpoint, credentials: CREDENTIALS });
  const queueUrl = `${endpoint}/${ACCOUNT_ID}/${queue}`;
  const deadline = Date.now() + timeoutMs;
  let done = 0;
  try {
    while (done < messages) {
      if (Date.now() > deadline)
        throw new Error(`raw loop drained ${done} of ${messages} before the timeout`);
      const output = await sdk.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          MessageAttributeNames: ['All'],
        }),
      );
      const received: Message[] = output.Messages ?? [];
      if (received.length === 0) continue;
      const deleted = await sdk.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: received.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
      if ((deleted.Failed ?? []).length > 0)
        throw new Error(`raw loop: ${deleted.Failed?.length} deletes failed`);
      done += received.length;
    }
  } finally {
    sdk.destroy();
  }
}

/**
 * The library end to end, on an app context built beforehand (DI is start-up cost, not
 * consumption): timed from bootstrap, which starts the consumer, until every message is
 * handled and SQS holds none of them any more (every delete acknowledged), as the raw loop is
 * timed until its last delete. Closing the app is timed apart: a stopping SQS consumer lets its
 * open long polls end (up to `waitTimeSeconds`) rather than abandon them to SQS.
 */
async function drainWithLibrary(
  endpoint: string,
  queue: string,
  messages: number,
  tuning: { concurrency: number; pollers: number },
  timeoutMs: number,
  broker: SqsClient,
): Promise<{ seconds: number; peakRssMb: number; closeSeconds: number }> {
  seen.count = 0;
  const app = await createBenchApp(endpoint, queue, tuning);
  let closed = false;
  try {
    const drained = await measure(async () => {
      const deadline = Date.now() + timeoutMs;
      await app.init();
      const orchestrator = app.get(ConsumerOrchestrator);
      const overdue = (what: string): void => {
        if (Date.now() > deadline) throw new Error(`library: ${what} before the timeout`);
      };
      while (orchestrator.statuses()[0]?.handled !== messages) {
        const status = orchestrator.statuses()[0];
        if (status?.state === 'failed')
          throw new Error(`library consumer failed: ${status.lastError}`);
        overdue(`drained ${status?.handled ?? 0} of ${messages}`);
        await pause(2);
      }
      while ((await messagesLeft(broker, queue)) > 0) {
        overdue('deletes not all acknowledged');
        await pause(2);
      }
    });
    const closing = process.hrtime.bigint();
    closed = true;
    await app.close();
    const closeSeconds = Number(process.hrtime.bigint() - closing) / 1e9;
    if (seen.count !== messages)
      throw new Error(`the handler saw ${seen.count} messages, not ${messages}`);
    return { ...drained, closeSeconds };
  } finally {
    if (!closed) await app.close();
  }
}

async function createBenchApp(
  endpoint: string,
  queue: string,
  tuning: { concurrency: number; pollers: number },
): Promise<INestApplicationContext> {
  const consumer: SqsConsumerOptions = {
    queue,
    concurrency: tuning.concurrency,
    pollers: tuning.pollers,
    waitTimeSeconds: 1,
    visibilityTimeout: 60,
  };
  @Module({
    imports: [
      MessageBusModule.forRoot({
        transport: 'sqs',
        sqs: { queueUrl: `${endpoint}/${ACCOUNT_ID}`, region: REGION, credentials: CREDENTIALS },
        consumers: { sqs: [consumer] },
      }),
    ],
    providers: [NoopPaymentHandler],
  })
  class BenchModule {}
  return NestFactory.createApplicationContext(BenchModule, { logger: ['error'] });
}

function setupClient(endpoint: string): SqsClient {
  return new SqsClient({
    queueUrl: `${endpoint}/${ACCOUNT_ID}`,
    region: REGION,
    credentials: CREDENTIALS,
  });
}

/** N distinct PAYMENT envelopes, as a producer would send them. */
function envelopes(count: number): MessageBusMessage[] {
  return Array.from({ length: count }, (_, index) =>
    MessageBusMessage.create({
      source: 'BENCH',
      instructionType: InstructionType.PAYMENT,
      serviceToken: SERVICE_TOKEN,
      payload: {
        external_reference: `EXT-${index}`,
        payer_name: 'Bench Payer',
        currency: 'EUR',
        value: '100.00',
        source: 'BANK',
        reference: `REF-${index}`,
        direction: 'INBOUND',
      },
    }),
  );
}

/** sendMessages in batches of 10, a few requests at a time. */
async function preload(
  client: SqsClient,
  queue: string,
  messages: readonly MessageBusMessage[],
): Promise<void> {
  const chunks: MessageBusMessage[][] = [];
  for (let start = 0; start < messages.length; start += 10)
    chunks.push(messages.slice(start, start + 10));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < chunks.length) {
      const chunk = chunks[next++];
      await client.sendMessages(chunk, queue);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

async function messagesLeft(client: SqsClient, queue: string): Promise<number> {
  const attributes = await client.getQueueAttributes(queue, [
    'ApproximateNumberOfMessages',
    'ApproximateNumberOfMessagesNotVisible',
  ]);
  return (
    Number(attributes.ApproximateNumberOfMessages) +
    Number(attributes.ApproximateNumberOfMessagesNotVisible)
  );
}

async function assertEmpty(client: SqsClient, queue: string): Promise<void> {
  const left = await messagesLeft(client, queue);
  if (left !== 0)
    throw new Error(`${queue} still holds ${left} messages after the run: some were not deleted`);
}

async function measure(run: () => Promise<void>): Promise<{ seconds: number; peakRssMb: number }> {
  const sampler = startRssSampler();
  const started = process.hrtime.bigint();
  try {
    await run();
  } finally {
    sampler.stop();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, peakRssMb: sampler.stop() };
}

function startRssSampler(): { stop(): number } {
  let peak = rssMb();
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb());
  }, 25);
  let stopped = false;
  return {
    stop: () => {
      if (!stopped) {
        stopped = true;
        clearInterval(timer);
        peak = Math.max(peak, rssMb());
      }
      return peak;
    },
  };
}

function rssMb(): number {
  return Math.round(process.memoryUsage.rss() / 1_048_576);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

if (require.main === module) {
  const [
    messages = '5000',
    endpoint = process.env.SQS_ENDPOINT ?? 'http://127.0.0.1:9324',
    drain = '0',
  ] = process.argv.slice(2);
  void (async () => {
    const result = await runSqsBench({ messages: Number(messages), endpoint });
    console.log(JSON.stringify(result, null, 2));
    if (Number(drain) > 0) {
      console.log(
        JSON.stringify(
          await runSqsDrainMemoryCheck({ messages: Number(drain), endpoint }),
          null,
          2,
        ),
      );
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
