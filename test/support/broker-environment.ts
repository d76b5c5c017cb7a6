import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** The variables the integration suites read to find the brokers. */
export const BROKER_VARIABLES = [
  'KAFKA_BOOTSTRAP_SERVERS',
  'KAFKA_SASL_BOOTSTRAP_SERVERS',
  'KAFKA_SASL_SSL_BOOTSTRAP_SERVERS',
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'SQS_ENDPOINT',
  'MOTO_SQS_ENDPOINT',
  'REDIS_URL',
] as const;

const BROKERS_SCRIPT = resolve(__dirname, '../../scripts/brokers/brokers.sh');

const HOW_TO_GET_BROKERS =
  'Integration tests need real brokers: run `npm run brokers:up` (Java 17 and Maven), ' +
  'or set KAFKA_BOOTSTRAP_SERVERS and SQS_ENDPOINT to running ones.';

/**
 * Makes sure the brokers are there before any integration suite runs: uses the
 * environment when it names them, otherwise starts them with the repo's own script
 * (which reuses brokers that already run). Never skips: no brokers is a failure.
 */
export function ensureBrokers(): void {
  const named = process.env.KAFKA_BOOTSTRAP_SERVERS && process.env.SQS_ENDPOINT;
  if (!named) {
    try {
      execFileSync('bash', [BROKERS_SCRIPT, 'up'], { stdio: ['ignore', 'inherit', 'inherit'] });
    } catch (error) {
      throw new Error(`${HOW_TO_GET_BROKERS} (starting them failed: ${(error as Error).message})`);
    }
  }
  const printed = execFileSync('bash', [BROKERS_SCRIPT, 'env'], { encoding: 'utf8' });
  for (const line of printed.split('\n')) {
    const match = /^(?:export\s+)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, key, raw] = match;
    // Variables set by the caller win over the script's defaults.
    if (process.env[key] === undefined) process.env[key] = raw.replace(/^['"]|['"]$/g, '');
  }
  const missing = BROKER_VARIABLES.filter((key) => !process.env[key]);
  if (missing.length > 0) throw new Error(`${HOW_TO_GET_BROKERS} Missing: ${missing.join(', ')}`);
}

/** Reads one broker variable inside a test, failing with the same sentence when absent. */
export function brokerVariable(key: (typeof BROKER_VARIABLES)[number]): string {
  const value = process.env[key];
  if (!value) throw new Error(`${key} is not set. ${HOW_TO_GET_BROKERS}`);
  return value;
}

/** The SQS endpoint of the emulator this run targets: ElasticMQ, or moto when SQS_TARGET=moto. */
export function sqsEndpoint(): string {
  return process.env.SQS_TARGET === 'moto'
    ? brokerVariable('MOTO_SQS_ENDPOINT')
    : brokerVariable('SQS_ENDPOINT');
}

/** A name unique to this run, so suites never see each other's queues, topics or groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
