import { cpus, loadavg, totalmem } from 'node:os';
import { CONTENDERS, type BenchSection } from './contender-catalog';
import type { ContenderResult } from './contender.interface';

/** One child's result, where and when it ran. */
export interface BenchRun extends ContenderResult {
  readonly section: BenchSection;
  readonly round: number;
}

export interface RoundLoad {
  readonly section: BenchSection;
  readonly round: number;
  /** os.loadavg() (1, 5, 15 min) as the round started. */
  readonly loadAverage: readonly number[];
}

/** A ratio the issue names: numerator / denominator of msg/s (or of peak RSS), per round. */
interface RatioDefinition {
  readonly section: BenchSection;
  readonly name: string;
  readonly numerator: string;
  readonly denominator: string;
  /** Total rate (start-up included), drain rate (first message to last) or peak RSS. */
  readonly of: 'msgsPerSec' | 'drainMsgsPerSec' | 'peakRssMb';
  /** `≥ x` or `≤ x`; none for information only. */
  readonly target?: { readonly op: '≥' | '≤'; readonly value: number };
}

const ratio = (
  section: BenchSection,
  numerator: string,
  denominator: string,
  target?: RatioDefinition['target'],
  of: RatioDefinition['of'] = 'msgsPerSec',
): RatioDefinition => ({
  section,
  name:
    of === 'peakRssMb'
      ? `peak RSS ${numerator} / ${denominator}`
      : of === 'drainMsgsPerSec'
        ? `${numerator} / ${denominator}, drain rate`
        : `${numerator} / ${denominator}, total (start-up included)`,
  numerator,
  denominator,
  of,
  target,
});

export const RATIOS: readonly RatioDefinition[] = [
  ...(['kafka', 'kafka-large'] as const).flatMap((section) => [
    ratio(section, 'lib', 'k1', { op: '≥', value: 0.9 }, 'drainMsgsPerSec'),
    ratio(section, 'lib', 'nest', { op: '≥', value: 3 }, 'drainMsgsPerSec'),
    ratio(section, 'lib', 'k1', { op: '≥', value: 0.9 }),
    ratio(section, 'lib', 'nest', { op: '≥', value: 3 }),
    ratio(section, 'lib', 'k0', undefined, 'drainMsgsPerSec'),
    ratio(section, 'lib-tuned', 'k1', undefined, 'drainMsgsPerSec'),
    ratio(section, 'lib', 'nest-validated'),
    ratio(section, 'lib-tuned', 'k1'),
    ratio(section, 'lib', 'k1', { op: '≤', value: 1.3 }, 'peakRssMb'),
  ]),
  ratio(
    'kafka-failure',
    'fail-retry-topic-10',
    'fail-retry-topic-0',
    { op: '≥', value: 0.5 },
    'drainMsgsPerSec',
  ),
  ratio('kafka-failure', 'fail-retry-topic-10', 'fail-retry-topic-0', { op: '≥', value: 0.5 }),
  ratio('kafka-failure', 'fail-retry-topic-1', 'fail-retry-topic-0'),
  ratio('kafka-failure', 'fail-ordered-10', 'fail-ordered-0'),
  ratio('kafka-failure', 'fail-ordered-1', 'fail-ordered-0'),
  ratio('kafka-failure', 'fail-retry-topic-10', 'fail-ordered-0'),
  ratio('sqs', 'sqs-lib', 'sqs-plain', { op: '≥', value: 1.2 }),
  ratio('sqs', 'sqs-lib', 'sqs-consumer-best', { op: '≥', value: 1.0 }),
  ratio('sqs', 'sqs-lib', 'sqs-consumer'),
  ratio('sqs', 'sqs-lib-tuned', 'sqs-plain'),
  ratio('sqs', 'sqs-lib-tuned', 'sqs-consumer-best'),
];

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
}

export interface ContenderSummary {
  readonly section: BenchSection;
  readonly contender: string;
  readonly label: string;
  readonly messages: number;
  readonly rounds: number;
  readonly msgsPerSec?: Spread;
  readonly drainMsgsPerSec?: Spread;
  readonly startupMs?: Spread;
  readonly peakRssMb?: number;
  /** "timed out after X s, N/M handled" or the contender's error, per round where it happened. */
  readonly notes: readonly string[];
  readonly extra?: Record<string, number>;
}

export interface RatioSummary {
  readonly section: BenchSection;
  readonly name: string;
  readonly spread?: Spread;
  readonly target?: string;
  /** Whether the median meets the target; undefined without a target or figures. */
  readonly met?: boolean;
}

export interface BenchReport {
  readonly date: string;
  readonly machine: {
    readonly cores: number;
    readonly cpu: string;
    readonly memoryGb: number;
    readonly node: string;
  };
  readonly settings: Record<string, unknown>;
  readonly loads: readonly RoundLoad[];
  readonly contenders: readonly ContenderSummary[];
  readonly ratios: readonly RatioSummary[];
  readonly runs: readonly BenchRun[];
}

const usable = (run: BenchRun): boolean => run.error === undefined && !run.timedOut;

export function buildReport(
  runs: readonly BenchRun[],
  loads: readonly RoundLoad[],
  settings: Record<string, unknown>,
): BenchReport {
  const contenders: ContenderSummary[] = [];
  for (const section of ['validation', 'kafka', 'kafka-large', 'sqs', 'kafka-failure'] as const) {
    for (const entry of CONTENDERS) {
      const own = runs.filter((run) => run.section === section && run.contender === entry.id);
      if (own.length === 0) continue;
      // A timed-out run's rate is a bound, not a figure: it is kept out and noted.
      const good = own.filter(usable);
      contenders.push({
        section,
        contender: entry.id,
        label: entry.label,
        messages: own[0].messages,
        rounds: own.length,
        msgsPerSec: spread(good.map((run) => run.msgsPerSec)),
        drainMsgsPerSec: spread(good.map((run) => run.drainMsgsPerSec)),
        startupMs: spread(good.map((run) => run.startupMs)),
        peakRssMb: own.length > 0 ? Math.max(...own.map((run) => run.peakRssMb)) : undefined,
        notes: own
          .filter((run) => !usable(run))
          .map((run) =>
            run.error !== undefined
              ? `round ${run.round}: failed: ${run.error}`
              : `round ${run.round}: timed out after ${run.seconds.toFixed(0)} s, ${run.handled}/${run.messages} handled (≈ ${run.msgsPerSec} msg/s)`,
          ),
        extra: section === 'validation' ? own.find(usable)?.extra : undefined,
      });
    }
  }
  const ratios: RatioSummary[] = [];
  for (const definition of RATIOS) {
    const values: number[] = [];
    const rounds = new Set(
      runs.filter((run) => run.section === definition.section).map((r) => r.round),
    );
    for (const round of rounds) {
      const find = (id: string) =>
        runs.find(
          (run) =>
            run.section === definition.section && run.round === round && run.contender === id,
        );
      const top = find(definition.numerator);
      const bottom = find(definition.denominator);
      if (!top || !bottom || !usable(top) || !usable(bottom) || bottom[definition.of] === 0)
        continue;
      values.push(top[definition.of] / bottom[definition.of]);
    }
    if (values.length === 0 && rounds.size === 0) continue;
    const s = spread(values);
    ratios.push({
      section: definition.section,
      name: definition.name,
      spread: s,
      target: definition.target ? `${definition.target.op} ${definition.target.value}` : undefined,
      met:
        definition.target && s
          ? definition.target.op === '≥'
            ? s.median >= definition.target.value
            : s.median <= definition.target.value
          : undefined,
    });
  }
  const validation = contenders.find((c) => c.section === 'validation');
  if (validation?.extra) {
    ratios.push({
      section: 'validation',
      name: 'µs per PAYMENT envelope beyond JSON.parse',
      spread: {
        min: validation.extra.diffMinUs,
        median: validation.extra.diffUs,
        max: validation.extra.diffMaxUs,
      },
      target: '≤ 0.5',
      met: validation.extra.diffUs <= 0.5,
    });
  }
  return {
    date: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
    },
    settings,
    loads,
    contenders,
    ratios,
    runs,
  };
}

const SECTION_TITLES: Record<BenchSection, string> = {
  validation: 'validation',
  kafka: 'Kafka',
  'kafka-large': 'Kafka (large)',
  'kafka-failure': 'Kafka under failure',
  sqs: 'SQS (ElasticMQ)',
};

const n = (value: number): string => Math.round(value).toLocaleString('en-US').replace(/,/g, ' ');
const spreadText = (s: Spread | undefined, digits: number): string =>
  s === undefined
    ? '–'
    : digits === 0
      ? `${n(s.min)} / **${n(s.median)}** / ${n(s.max)}`
      : `${s.min.toFixed(digits)} / **${s.median.toFixed(digits)}** / ${s.max.toFixed(digits)}`;

/** The final tables, in Markdown so that README's Performance section can take the rows as they are. */
export function formatReport(report: BenchReport): string {
  const lines: string[] = [];
  const m = report.machine;
  lines.push(
    `${report.date.slice(0, 16).replace('T', ' ')} UTC, ${m.cores} cores (${m.cpu}), ${m.memoryGb} GB, Node ${m.node}; min / **median** / max over ${report.settings.rounds as number} interleaved round(s) (the failure section ${(report.settings.failureRounds ?? report.settings.rounds) as number})`,
  );
  const loadText = report.loads
    .map(
      (load) =>
        `${load.section} r${load.round} ${load.loadAverage.map((v) => v.toFixed(2)).join(' ')}`,
    )
    .join('; ');
  lines.push(`load average (1/5/15 min) at each round's start: ${loadText}`, '');
  lines.push(
    '| section | contender | messages | msg/s, total | start-up ms (median) | msg/s, drain | peak RSS MB |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const c of report.contenders) {
    if (c.section === 'validation') continue;
    const note = c.notes.length > 0 ? ` (${c.notes.join('; ')})` : '';
    lines.push(
      `| ${SECTION_TITLES[c.section]} | ${c.label} \`${c.contender}\`${note} | ${n(c.messages)} | ${spreadText(c.msgsPerSec, 0)} | ${c.startupMs ? n(c.startupMs.median) : '–'} | ${spreadText(c.drainMsgsPerSec, 0)} | ${c.peakRssMb ?? '–'} |`,
    );
  }
  const validation = report.contenders.find((c) => c.section === 'validation');
  if (validation?.extra) {
    const e = validation.extra;
    lines.push(
      '',
      `validation: JSON.parse alone ${e.jsonParseNs} ns, library parse + validate ${e.libraryNs} ns per PAYMENT envelope (medians)`,
    );
  }
  lines.push(
    '',
    '| section | ratio | min / median / max | target | met |',
    '| --- | --- | --- | --- | --- |',
  );
  for (const r of report.ratios) {
    lines.push(
      `| ${SECTION_TITLES[r.section]} | ${r.name} | ${spreadText(r.spread, 2)} | ${r.target ?? 'info'} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} |`,
    );
  }
  return lines.join('\n');
}

/** os.loadavg(), for each round's start. */
export function currentLoad(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}
