import { Command, Option } from 'commander';
import type { DeadLetter } from '../redrive/dead-letter.interface';
import type { DeadLetterFilter } from '../redrive/dead-letter-filter.interface';
import type { RedriveSummary } from '../redrive/redrive-summary.interface';
import { CLI_EXIT_CODES } from './cli-exit-codes';
import type { CliConnectionOptions } from './cli-connection-options.interface';
import { createCliRedriver } from './cli-redriver.factory';
import { parseDuration, parsePositiveInteger, parsePositiveNumber } from './duration-argument';
import { RedriveProgressBar } from './redrive-progress-bar';

/** Where the commands write and how they learn of signals; the real process by default. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Aborted on SIGINT / SIGTERM; the command then finishes the dead letter in hand. */
  readonly signal: AbortSignal;
  /** The signal that aborted, for the exit code. */
  readonly stoppedBy: () => 'SIGINT' | 'SIGTERM' | undefined;
  setExitCode(code: number): void;
}

interface FilterFlags {
  readonly reason?: string;
  readonly type?: string;
  readonly olderThan?: number;
  readonly newerThan?: number;
  readonly limit?: number;
}

interface ListFlags extends CliConnectionOptions, FilterFlags {
  readonly json?: boolean;
}

interface RedriveFlags extends CliConnectionOptions, FilterFlags {
  readonly to?: string;
  readonly dryRun?: boolean;
  readonly rate?: number;
  readonly progress: boolean;
}

/** The `dlq` command with its `list` and `redrive` subcommands. */
export function dlqCommand(io: CliIo): Command {
  const dlq = new Command('dlq').description(
    'List and redrive dead letters written by nestjs-message-bus consumers (SQS queues, Kafka topics).',
  );

  withFilterFlags(withConnectionFlags(dlq.command('list')))
    .description('Show dead letters with their reason, type, age and origin; changes nothing.')
    .argument('<dead-letters>', 'the dead-letter queue (name or URL) or topic')
    .option('--json', 'one JSON object per line instead of a table')
    .addHelpText(
      'after',
      '\nExample:\n  $ nestjs-message-bus dlq list payments-dlq -t sqs --reason handler-error',
    )
    .action(async (deadLetters: string, flags: ListFlags) => {
      const { redriver, close } = await createCliRedriver(deadLetters, flags);
      try {
        const letters = await redriver.list({
          filter: filterOf(flags),
          limit: flags.limit ?? 100,
          signal: io.signal,
        });
        for (const letter of letters)
          io.out(flags.json ? JSON.stringify(letter) : describe(letter));
        io.err(`${letters.length} dead letter(s) in ${redriver.source}`);
      } finally {
        await close();
      }
      endFor(io, undefined);
    });

  withFilterFlags(withConnectionFlags(dlq.command('redrive')))
    .description(
      'Copy dead letters back to their origin (bus-source-queue / bus-original-topic), then remove them from the dead letters.',
    )
    .argument('<dead-letters>', 'the dead-letter queue (name or URL) or topic')
    .option('--to <queue-or-topic>', "redrive here instead of each dead letter's origin")
    .option('--dry-run', 'count what would be redriven; change nothing')
    .option('--rate <per-second>', 'at most this many messages per second', parsePositiveNumber)
    .option('--no-progress', 'no progress bar')
    .addHelpText(
      'after',
      [
        '',
        'Nothing is removed before the broker acknowledged its copy. SIGINT/SIGTERM finish the',
        'dead letter in hand, print the summary and exit with 130/143; running again goes on.',
        '',
        'Examples:',
        '  $ nestjs-message-bus dlq redrive payments-dlq -t sqs --type PAYMENT --older-than 1h --rate 20',
        '  $ nestjs-message-bus dlq redrive payments.dlt -t kafka --kafka-brokers broker:9092 --dry-run',
      ].join('\n'),
    )
    .action(async (deadLetters: string, flags: RedriveFlags) => {
      const { redriver, close } = await createCliRedriver(deadLetters, flags);
      const bar = flags.progress ? new RedriveProgressBar() : undefined;
      let summary: RedriveSummary;
      try {
        bar?.start(await redriver.count());
        summary = await redriver.redrive({
          filter: filterOf(flags),
          ...(flags.to !== undefined ? { to: flags.to } : {}),
          ...(flags.dryRun ? { dryRun: true } : {}),
          ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
          ...(flags.rate !== undefined ? { ratePerSecond: flags.rate } : {}),
          signal: io.signal,
          onProgress: (progress) => {
            bar?.update(progress);
            if (progress.action === 'failed')
              io.err(`failed ${progress.letter.id}: ${progress.why}`);
          },
        });
      } finally {
        bar?.stop();
        await close();
      }
      io.out(summaryLine(redriver.source, summary));
      endFor(io, summary);
    });
  return dlq;
}

function withConnectionFlags(command: Command): Command {
  return command
    .addOption(
      new Option('-t, --transport <transport>', 'where the dead letters are')
        .choices(['sqs', 'kafka'])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--sqs-queue-url <url>', 'base URL queue names are appended to').env(
        'SQS_QUEUE_URL',
      ),
    )
    .addOption(
      new Option('--sqs-endpoint <url>', 'SQS endpoint (local emulators)').env('SQS_ENDPOINT'),
    )
    .addOption(
      new Option('--aws-account-id <id>', 'account in queue URLs built from --sqs-endpoint').env(
        'AWS_ACCOUNT_ID',
      ),
    )
    .addOption(new Option('--region <region>', 'AWS region').env('AWS_REGION'))
    .addOption(
      new Option('--kafka-brokers <list>', 'Kafka bootstrap servers, host:port[,host:port]').env(
        'KAFKA_BOOTSTRAP_SERVERS',
      ),
    )
    .addOption(
      new Option(
        '--kafka-security-protocol <protocol>',
        'PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL',
      )
        .choices(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'])
        .env('KAFKA_API_PROTOCOL'),
    )
    .addOption(
      new Option(
        '--kafka-user <name>',
        'SASL user (the password only from KAFKA_SASL_PASSWORD)',
      ).env('KAFKA_SASL_USERNAME'),
    )
    .option(
      '--group <group-id>',
      'Kafka: the consumer group that keeps the redrive position (default <topic>.redrive)',
    );
}

function withFilterFlags(command: Command): Command {
  return command
    .option(
      '--reason <prefix>',
      'only dead letters whose bus-reason starts with this, e.g. handler-error',
    )
    .option('--type <message-type>', 'only this instruction or event type, e.g. PAYMENT')
    .option(
      '--older-than <duration>',
      'only dead letters at least this old (90s, 15m, 2h, 7d)',
      parseDuration,
    )
    .option('--newer-than <duration>', 'only dead letters at most this old', parseDuration)
    .option('--limit <count>', 'at most this many (list: default 100)', parsePositiveInteger);
}

function filterOf(flags: FilterFlags): DeadLetterFilter {
  return {
    ...(flags.reason !== undefined ? { reason: flags.reason } : {}),
    ...(flags.type !== undefined ? { messageType: flags.type } : {}),
    ...(flags.olderThan !== undefined ? { olderThanMs: flags.olderThan } : {}),
    ...(flags.newerThan !== undefined ? { newerThanMs: flags.newerThan } : {}),
  };
}

/** One line per dead letter: no body content, which may hold personal data. */
function describe(letter: DeadLetter): string {
  const age = letter.ageMs === undefined ? '?' : `${Math.round(letter.ageMs / 1000)}s`;
  return [
    letter.id,
    letter.messageType ?? '-',
    `age ${age}`,
    `from ${letter.origin ?? '?'}`,
    letter.truncated ? 'TRUNCATED' : `${letter.bodyBytes} B`,
    letter.reason ?? '',
  ].join('  ');
}

function summaryLine(source: string, summary: RedriveSummary): string {
  const words = [
    summary.dryRun ? 'dry run:' : '',
    `${source}: redriven ${summary.redriven}, skipped ${summary.skipped}, failed ${summary.failed}`,
    `(examined ${summary.examined})`,
    summary.interrupted ? '- interrupted, run again to go on' : '',
  ];
  return words.filter(Boolean).join(' ');
}

function endFor(io: CliIo, summary: RedriveSummary | undefined): void {
  const stoppedBy = io.stoppedBy();
  if (stoppedBy !== undefined) io.setExitCode(CLI_EXIT_CODES.interrupted[stoppedBy]);
  else if (summary !== undefined && summary.failed > 0) io.setExitCode(CLI_EXIT_CODES.failed);
  else io.setExitCode(CLI_EXIT_CODES.ok);
}
