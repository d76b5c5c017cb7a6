import { CONTENDERS, contender, type BenchSection } from './contender-catalog';

/** What one `npm run bench` runs, from the environment (and `--quick`). */
export interface BenchConfig {
  readonly quick: boolean;
  readonly rounds: number;
  /** Rounds of the failure section, whose ordered runs at 10 % take about a minute each. */
  readonly failureRounds: number;
  readonly partitions: number;
  readonly kafkaMessages: number;
  /** 0 leaves the large Kafka section out. */
  readonly kafkaLargeMessages: number;
  readonly failureMessages: number;
  readonly failureCapMs: number;
  readonly sqsMessages: number;
  readonly sqsParallel: number;
  readonly sqsCapMs: number;
  readonly capMs: number;
  readonly validationIterations: number;
  readonly validationSamples: number;
  /** Contender ids to run, in catalogue order. */
  readonly only: readonly string[];
}

function count(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number ≥ 0, got "${raw}"`);
  return value;
}

export function readBenchConfig(argv: readonly string[]): BenchConfig {
  const quick = argv.includes('--quick') || process.env.BENCH_QUICK === '1';
  const only = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  for (const id of only) contender(id);
  // Long enough that start-up, one retry delay and the last copies' round trip do not decide
  // the failure ratios (50 000 take about 1 s without failures).
  const failureMessages = count('BENCH_FAILURE_MESSAGES', quick ? 5_000 : 50_000);
  return {
    quick,
    // Five rounds: on this kind of machine (a VM whose cores are sometimes taken by the host) one
    // round in three or four can be off by a third; the median of five holds against two such.
    rounds: Math.max(1, count('BENCH_ROUNDS', quick ? 1 : 5)),
    failureRounds: Math.max(1, count('BENCH_FAILURE_ROUNDS', quick ? 1 : 3)),
    partitions: count('BENCH_KAFKA_PARTITIONS', 6),
    kafkaMessages: count('BENCH_KAFKA_MESSAGES', quick ? 5_000 : 50_000),
    kafkaLargeMessages: count('BENCH_KAFKA_LARGE', quick ? 0 : 100_000),
    failureMessages,
    failureCapMs: count('BENCH_FAILURE_CAP_S', failureCapSeconds(failureMessages)) * 1_000,
    sqsMessages: count('BENCH_SQS_MESSAGES', quick ? 500 : 5_000),
    sqsParallel: Math.max(1, count('BENCH_SQS_PARALLEL', 4)),
    // sqs-consumer's defaults (one message per receive) drain 5 000 in minutes on a busy machine.
    sqsCapMs: count('BENCH_SQS_CAP_S', quick ? 30 : 60) * 1_000,
    capMs: count('BENCH_CAP_S', quick ? 60 : 180) * 1_000,
    validationIterations: quick ? 5_000 : 20_000,
    validationSamples: quick ? 5 : 61,
    only:
      only.length > 0
        ? CONTENDERS.filter((c) => only.includes(c.id)).map((c) => c.id)
        : CONTENDERS.map((c) => c.id),
  };
}

/**
 * The default cap of one failure run: the ordered mode at 10 % waits out every retry in its
 * partition (about 1 000 msg/s with the bench's 25–50 ms first delay), so the cap gives it
 * room for 400 msg/s, and never less than 60 s.
 */
function failureCapSeconds(messages: number): number {
  return Math.max(60, Math.ceil(messages / 400));
}

/** The contenders of a section this run includes, in catalogue order. */
export function sectionContenders(config: BenchConfig, section: BenchSection): string[] {
  return CONTENDERS.filter((c) => c.sections.includes(section) && config.only.includes(c.id)).map(
    (c) => c.id,
  );
}
