import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { runKafkaBench } from './kafka.bench';
import { runSqsBench } from './sqs.bench';

/**
 * `npm run bench`: the library's consumers end to end beside a raw SDK baseline on the same
 * data, in one process run against the local brokers. Prints messages per second, the ratio
 * library/raw and peak RSS. Sizes are bounded; override with BENCH_SQS_MESSAGES / BENCH_KAFKA_MESSAGES.
 */
async function main(): Promise<void> {
  const env = brokerEnvironment();
  const sqsMessages = Number(process.env.BENCH_SQS_MESSAGES ?? 5_000);
  const kafkaMessages = Number(process.env.BENCH_KAFKA_MESSAGES ?? 50_000);

  const kafka = await runKafkaBench({
    messages: kafkaMessages,
    bootstrapServers: env.KAFKA_BOOTSTRAP_SERVERS,
  });
  const sqs = await runSqsBench({ messages: sqsMessages, endpoint: env.SQS_ENDPOINT });

  const rows = [
    [
      'kafka',
      kafkaMessages,
      kafka.rawMsgsPerSec,
      kafka.libraryMsgsPerSec,
      kafka.ratio,
      kafka.peakRssMb,
      0.9,
    ],
    ['sqs', sqsMessages, sqs.rawMsgsPerSec, sqs.libraryMsgsPerSec, sqs.ratio, sqs.peakRssMb, 1.0],
  ] as const;
  console.log('\ntransport  messages  raw msg/s  library msg/s  library/raw  target  peak RSS MB');
  for (const [name, count, raw, library, ratio, rss, target] of rows) {
    console.log(
      `${name.padEnd(9)}  ${String(count).padStart(8)}  ${raw.toFixed(0).padStart(9)}  ${library.toFixed(0).padStart(13)}  ${ratio.toFixed(2).padStart(11)}  ${('≥ ' + target.toFixed(1)).padStart(6)}  ${rss.toFixed(0).padStart(11)}`,
    );
  }
  console.log(
    `\nsqs: app.close() after the drain took ${sqs.details.libraryCloseSeconds} s (not in the figure above: a stopping consumer lets its open long polls end)`,
  );
  // Where the Kafka gap comes from: the runtime alone, and the cost of merely parsing each value.
  console.log(
    `\nkafka diagnostics: consumer runtime alone (handler skips parsing) ${kafka.runtimeOnlyMsgsPerSec} msg/s = ${kafka.runtimeOnlyRatio.toFixed(2)} of raw; ` +
      `raw + JSON.parse of each value ${kafka.rawJsonMsgsPerSec} msg/s = ${(kafka.rawJsonMsgsPerSec / kafka.rawMsgsPerSec).toFixed(2)} of raw; ` +
      `library = ${(kafka.libraryMsgsPerSec / kafka.rawJsonMsgsPerSec).toFixed(2)} of raw + JSON.parse`,
  );
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
