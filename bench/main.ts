import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readBenchConfig, sectionContenders, type BenchConfig } from './bench-config';
import {
  buildReport,
  currentLoad,
  formatReport,
  type BenchReport,
  type BenchRun,
  type RoundLoad,
} from './bench-report';
import { contender, type BenchSection } from './contender-catalog';
import type { ContenderRequest, ContenderResult } from './contender.interface';
import { KafkaTopicFixture } from './kafka/kafka-topic.fixture';
import { LIBRARY_KAFKA_SETTINGS, RETRY_MODE_OPTION } from './kafka/kafka-library.contender';
import { benchSqsClient, createFilledQueue, deleteQueue } from './sqs/sqs-queue.fixture';
import { LIBRARY_SQS_SETTINGS } from './sqs/sqs-library.contender';

/**
 * `npm run bench`: the library against what a user would pick instead, in interleaved rounds
 * (every contender of a section once per round, A B C … A B C …), each run in a child process
 * of its own with its own consumer group (Kafka) or freshly filled queue (SQS). Prints min /
 * median / max msg/s, peak RSS and the ratios with the load average at each round's
 * start, and writes it all to dist-bench/results.json. Sizes and the subset from the
 * environment: BENCH_ROUNDS, BENCH_KAFKA_MESSAGES, BENCH_KAFKA_LARGE, BENCH_FAILURE_MESSAGES,
 * BENCH_FAILURE_CAP_S, BENCH_SQS_MESSAGES, BENCH_SQS_PARALLEL, BENCH_SQS_CAP_S, BENCH_CAP_S, BENCH_ONLY;
 * `--quick` (or BENCH_QUICK=1) for small counts.
 */
async function main(): Promise<void> {
  const config = readBenchConfig(process.argv.slice(2));
  const env = brokerEnvironment();
  const runs: BenchRun[] = [];
  const loads: RoundLoad[] = [];
  const record = (section: BenchSection, round: number, result: ContenderResult): void => {
    runs.push({ ...result, section, round });
    const outcome = result.error
      ? `failed: ${result.error}`
      : result.timedOut
        ? `timed out after ${result.seconds.toFixed(0)} s, ${result.handled}/${result.messages} handled (≈ ${result.msgsPerSec} msg/s)`
        : `${result.msgsPerSec} msg/s in ${result.seconds.toFixed(2)} s (start-up ${result.startupMs} ms, then ${result.drainMsgsPerSec} msg/s), RSS ${result.peakRssMb} MB`;
    console.log(`[bench] ${section} r${round} ${result.contender}: ${outcome}`);
  };
  const roundStart = (section: BenchSection, round: number): void => {
    const loadAverage = currentLoad();
    loads.push({ section, round, loadAverage });
    console.log(
      `[bench] ${section} round ${round}/${section === 'kafka-failure' ? config.failureRounds : config.rounds}, load average ${loadAverage.join(' ')}`,
    );
  };

  const out = resolve(__dirname, '..');
  const results = join(out, 'results.json');
  // Written after every section, so that a run stopped half-way still leaves its figures.
  const write = (): BenchReport => {
    const report = buildReport(runs, loads, {
      ...config,
      kafkaLibrarySettings: LIBRARY_KAFKA_SETTINGS,
      sqsLibrarySettings: LIBRARY_SQS_SETTINGS,
      retryModeOption: RETRY_MODE_OPTION,
      clocks: {
        kafka:
          'from the child starting its consumer (before connect / group join / app creation) to its last message processed',
        sqs: 'from before the consumer starts to the queue holding no message (ApproximateNumberOfMessages + NotVisible = 0)',
        drain:
          'from the first message handled to the end of the run: the steady rate without start-up (messages after the first / that time)',
      },
    });
    mkdirSync(out, { recursive: true });
    writeFileSync(results, JSON.stringify(report, null, 2));
    return report;
  };

  await runValidation(config, roundStart, record);
  write();
  // The sections the main targets depend on first, the longest last.
  const kafka = new KafkaTopicFixture(env.KAFKA_BOOTSTRAP_SERVERS);
  try {
    await runKafka(config, kafka, 'kafka', config.kafkaMessages, roundStart, record);
    write();
    await runSqs(config, env.SQS_ENDPOINT, roundStart, record);
    write();
    await runKafkaFailure(config, kafka, roundStart, record);
    write();
    if (config.kafkaLargeMessages > 0)
      await runKafka(config, kafka, 'kafka-large', config.kafkaLargeMessages, roundStart, record);
  } finally {
    await kafka.close();
  }
  console.log(`\n${formatReport(write())}\n\n[bench] written to ${results}`);
}

type RoundStart = (section: BenchSection, round: number) => void;
type RecordRun = (section: BenchSection, round: number, result: ContenderResult) => void;

async function runValidation(
  config: BenchConfig,
  roundStart: RoundStart,
  record: RecordRun,
): Promise<void> {
  if (!config.only.includes('validate')) return;
  roundStart('validation', 1);
  record(
    'validation',
    1,
    await runChild({
      contender: 'validate',
      messages: config.validationIterations * config.validationSamples,
      capMs: config.capMs,
      validation: { iterations: config.validationIterations, samples: config.validationSamples },
    }),
  );
}

/** One topic for the section, produced once; each contender reads all of it in a group of its own each round. */
async function runKafka(
  config: BenchConfig,
  fixture: KafkaTopicFixture,
  section: 'kafka' | 'kafka-large',
  messages: number,
  roundStart: RoundStart,
  record: RecordRun,
): Promise<void> {
  const ids = sectionContenders(config, section);
  if (ids.length === 0) return;
  console.log(
    `[bench] ${section}: producing ${messages} PAYMENT envelopes on ${config.partitions} partitions`,
  );
  const topic = await fixture.createFilledTopic(section, messages, config.partitions);
  for (let round = 1; round <= config.rounds; round += 1) {
    roundStart(section, round);
    for (const id of ids) {
      record(
        section,
        round,
        await runChild({
          contender: id,
          messages,
          capMs: config.capMs,
          kafka: {
            brokers: fixture.brokers,
            topic,
            partitions: config.partitions,
            groupId: `${topic}-${id}-r${round}`,
          },
        }),
      );
    }
  }
}

/**
 * Failure runs each get a fresh topic: a retry topic (and the dead-letter topic) is named after
 * the topic, so sharing one would let a run read another run's retries.
 */
async function runKafkaFailure(
  config: BenchConfig,
  fixture: KafkaTopicFixture,
  roundStart: RoundStart,
  record: RecordRun,
): Promise<void> {
  const ids = sectionContenders(config, 'kafka-failure');
  if (ids.length === 0) return;
  for (let round = 1; round <= config.failureRounds; round += 1) {
    roundStart('kafka-failure', round);
    for (const id of ids) {
      const topic = await fixture.createFilledTopic(
        `fail-${round}`,
        config.failureMessages,
        config.partitions,
        true,
      );
      record(
        'kafka-failure',
        round,
        await runChild({
          contender: id,
          messages: config.failureMessages,
          capMs: config.failureCapMs,
          kafka: {
            brokers: fixture.brokers,
            topic,
            partitions: config.partitions,
            groupId: `${topic}-${id}`,
            failurePercent: contender(id).failurePercent ?? 0,
          },
        }),
      );
    }
  }
}

/** Each round fills one fresh queue per contender (not timed), then runs the contenders in turn. */
async function runSqs(
  config: BenchConfig,
  endpoint: string,
  roundStart: RoundStart,
  record: RecordRun,
): Promise<void> {
  const ids = sectionContenders(config, 'sqs');
  if (ids.length === 0) return;
  const sqs = benchSqsClient(endpoint);
  try {
    for (let round = 1; round <= config.rounds; round += 1) {
      const stamp = `${Date.now().toString(36)}-${process.pid}`;
      console.log(
        `[bench] sqs: filling ${ids.length} queues with ${config.sqsMessages} envelopes each`,
      );
      const queues = new Map<string, string>();
      for (const id of ids)
        queues.set(
          id,
          await createFilledQueue(sqs, `bench-${id}-${stamp}-r${round}`, config.sqsMessages),
        );
      roundStart('sqs', round);
      for (const id of ids) {
        const queueUrl = queues.get(id)!;
        record(
          'sqs',
          round,
          await runChild({
            contender: id,
            messages: config.sqsMessages,
            capMs: config.sqsCapMs,
            sqs: { endpoint, queueUrl, parallel: config.sqsParallel },
          }),
        );
        await deleteQueue(sqs, queueUrl);
      }
    }
  } finally {
    sqs.destroy();
  }
}

/** Forks bench-child.js for one request; kills it if it outlives its cap by 30 s. */
function runChild(request: ContenderRequest): Promise<ContenderResult> {
  return new Promise((resolveResult) => {
    const child = fork(join(__dirname, 'bench-child.js'), [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2_000);
    });
    let settled = false;
    const settle = (result: ContenderResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(killer);
      resolveResult(result);
    };
    const failed = (error: string): ContenderResult => ({
      contender: request.contender,
      handled: 0,
      messages: request.messages,
      seconds: 0,
      msgsPerSec: 0,
      drainMsgsPerSec: 0,
      startupMs: 0,
      peakRssMb: 0,
      timedOut: false,
      error,
    });
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
      settle(failed(`child killed after ${(request.capMs + 30_000) / 1_000} s`));
    }, request.capMs + 30_000);
    child.once('message', (result: ContenderResult) => settle(result));
    child.once('exit', (code) =>
      settle(
        failed(
          `child exited (${code}) without a result: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
        ),
      ),
    );
    child.send(request);
  });
}

/** Uses KAFKA_BOOTSTRAP_SERVERS / SQS_ENDPOINT when set, else starts (or reuses) the repo's brokers. */
function brokerEnvironment(): { KAFKA_BOOTSTRAP_SERVERS: string; SQS_ENDPOINT: string } {
  const script = resolve(__dirname, '../../scripts/brokers/brokers.sh');
  if (!process.env.KAFKA_BOOTSTRAP_SERVERS || !process.env.SQS_ENDPOINT) {
    execFileSync('bash', [script, 'up', 'kafka', 'sqs'], { stdio: 'inherit' });
    for (const line of execFileSync('bash', [script, 'env'], { encoding: 'utf8' }).split('\n')) {
      const match = /^(?:export\s+)?([A-Z_]+)=['"]?([^'"]*)['"]?$/.exec(line.trim());
      if (match && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
    }
  }
  return {
    KAFKA_BOOTSTRAP_SERVERS: process.env.KAFKA_BOOTSTRAP_SERVERS as string,
    SQS_ENDPOINT: process.env.SQS_ENDPOINT as string,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
