import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { brokerVariable, sqsEndpoint, uniqueName } from '../../support/broker-environment';
import { ACCOUNT_ID } from '../sqs/sqs-test-kit';
import {
  KafkaIdempotencyHarness,
  paymentWith,
  redisStore,
  SqsIdempotencyHarness,
} from './idempotency-kit';

/**
 * Issue 11, "an in-progress mark left by a crashed process expires after a configurable
 * lease", on real SQS and Kafka with the Redis store: a child process takes the lease of a
 * message and is killed with SIGKILL; the message comes back (SQS visibility, Kafka group
 * rebalance) to another app, which waits for the lease to expire and then handles it once.
 */
const ROOT = resolve(__dirname, '../../..');
const OUT = join(ROOT, 'dist-test-apps-idempotency');
const APP = join(OUT, 'test/integration/idempotency/lease-holder.app.js');
const LEASE_MS = 8_000;

const running: ChildProcess[] = [];

function startLeaseHolder(env: Record<string, string>): {
  started: Promise<string>;
  child: ChildProcess;
} {
  const child = spawn(process.execPath, [APP], {
    cwd: ROOT,
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const started = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /STARTED (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`lease holder exited (${code}): ${stderr}`)));
  });
  return { started, child };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('a process killed while it holds an idempotency lease', () => {
  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    execFileSync(
      'npx',
      ['tsc', '-p', 'test/integration/idempotency/tsconfig.json', '--outDir', OUT],
      {
        cwd: ROOT,
        stdio: 'pipe',
      },
    );
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map(kill));
  });

  it.each(['sqs', 'kafka'] as const)(
    'on %s: the message is handled once, by another app, after the lease expires',
    async (transport) => {
      const harness =
        transport === 'sqs' ? new SqsIdempotencyHarness() : new KafkaIdempotencyHarness();
      await harness.prepare(1);
      const prefix = uniqueName('idem-lease');
      const key = randomUUID();
      try {
        await harness.send(paymentWith(key));
        const holder = startLeaseHolder({
          BUS_TRANSPORT: transport,
          BUS_SOURCE:
            harness instanceof SqsIdempotencyHarness ? harness.queue : harness.coordinates().topic,
          BUS_GROUP:
            harness instanceof KafkaIdempotencyHarness ? harness.coordinates().groupId : '',
          SQS_QUEUE_URL_PREFIX: `${sqsEndpoint()}/${ACCOUNT_ID}`,
          KAFKA_BOOTSTRAP_SERVERS: brokerVariable('KAFKA_BOOTSTRAP_SERVERS'),
          REDIS_URL: brokerVariable('REDIS_URL'),
          KEY_PREFIX: `${prefix}:`,
          LEASE_MS: String(LEASE_MS),
        });
        expect(await holder.started).toBe(key);
        const startedAt = Date.now();
        await kill(holder.child);

        await harness.startApp({ store: redisStore(prefix), leaseMs: LEASE_MS, pollMs: 100 });
        await harness.settled(90_000);

        const calls = harness.ledger.callsOf('payment', key);
        expect(calls).toHaveLength(1);
        expect(calls[0].outcome).toBe('succeeded');
        // It waited for the dead process's lease (taken just before STARTED) to run out.
        expect(calls[0].at).toBeGreaterThanOrEqual(startedAt + LEASE_MS - 500);
        expect(harness.total('handled')).toBe(1);
        expect(harness.total('deadLettered')).toBe(0);
      } finally {
        await harness.dispose();
      }
    },
    120_000,
  );
});
