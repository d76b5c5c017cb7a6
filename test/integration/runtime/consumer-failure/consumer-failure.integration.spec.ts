import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumerStatus } from '../../../../lib/transports/transport.interface';
import { brokerVariable, sqsEndpoint, uniqueName } from '../../../support/broker-environment';
import { kcat } from '../../kafka/kafka-test-support';
import { ACCOUNT_ID, integrationClient } from '../../sqs/sqs-test-kit';
import { createTopics } from '../kafka/kafka-runtime-kit';

/**
 * Defect 8 of issue 9, on the real brokers: a consumer-only app (createApplicationContext with
 * MessageBusModule, or createMicroservice with MessageBusServer; one consumer, nothing else
 * keeping Node busy) whose consumer fails for good must never end with
 * exit code 0. By default it stays up and reports the consumer `failed`; with
 * `onConsumerFailure: 'exit'` it exits non-zero and says why on stderr.
 */

const ROOT = resolve(__dirname, '../../../..');
const OUT = join(ROOT, 'dist-test-apps');
const APPS = {
  /** MessageBusModule on createApplicationContext. */
  module: join(OUT, 'test/integration/runtime/consumer-failure/consumer-only.app.js'),
  /** MessageBusServer on createMicroservice. */
  server: join(OUT, 'test/integration/runtime/consumer-failure/consumer-only.server.app.js'),
};

/** How long a test waits for the consumer to fail: ElasticMQ takes up to ~20 s to answer a deleted queue. */
const FAILURE_WITHIN_MS = 40_000;
/** How long a failed app must then stay up: several watchdog ticks, and far past any exit. */
const STAYS_UP_MS = 3_000;

type Transport = 'sqs' | 'kafka';
type Runner = keyof typeof APPS;

/** Both ways of running handlers, on both brokers. */
const RUNS = (['module', 'server'] as const).flatMap((runner) =>
  (['sqs', 'kafka'] as const).map((transport) => ({ runner, transport })),
);

/** What the app's stderr says when its consumer fails for good. */
const FAILURE_REASONS: Record<Transport, RegExp> = {
  sqs: /queue consumer-failure-\S+ stopped: .*QueueDoesNotExist/,
  kafka: /KafkaJSNotImplemented: Snappy compression not implemented/,
};

interface RunningApp {
  readonly child: ChildProcess;
  readonly stderr: () => string;
  /** The consumers' statuses the app printed last. */
  readonly latest: () => ConsumerStatus[] | undefined;
  /** Resolves with the exit code (or the signal) once the child ends. */
  readonly exited: Promise<number | string>;
}

const running: ChildProcess[] = [];

function startApp(
  transport: Transport,
  source: string,
  onConsumerFailure?: 'keep-running' | 'exit',
  runner: Runner = 'module',
): RunningApp {
  const child = spawn(process.execPath, [APPS[runner]], {
    cwd: ROOT,
    env: {
      ...process.env,
      BUS_TRANSPORT: transport,
      BUS_SOURCE: source,
      ON_CONSUMER_FAILURE: onConsumerFailure ?? '',
      SQS_QUEUE_URL_PREFIX: `${sqsEndpoint()}/${ACCOUNT_ID}`,
      KAFKA_BOOTSTRAP_SERVERS: brokerVariable('KAFKA_BOOTSTRAP_SERVERS'),
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  let latest: ConsumerStatus[] | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const lines = stdout.split('\n');
    stdout = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('STATUS ')) latest = JSON.parse(line.slice(7)) as ConsumerStatus[];
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, stderr: () => stderr, latest: () => latest, exited };
}

/** Resolves once `app` reports its one consumer in `state`; fails early when the app exits. */
async function untilState(app: RunningApp, state: ConsumerStatus['state']): Promise<void> {
  const deadline = Date.now() + FAILURE_WITHIN_MS;
  let exit: number | string | undefined;
  void app.exited.then((code) => (exit = code));
  while (Date.now() < deadline) {
    if (app.latest()?.[0]?.state === state) return;
    if (exit !== undefined) {
      throw new Error(
        `the app exited with ${exit} before its consumer was ${state}; stderr:\n${app.stderr()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `the consumer was not ${state} within ${FAILURE_WITHIN_MS} ms (last status ${JSON.stringify(app.latest())})`,
  );
}

/** The consumed source, and how to make its consumer fail for good on the real broker. */
async function failingSource(
  transport: Transport,
): Promise<{ source: string; breakIt: () => Promise<void> }> {
  if (transport === 'sqs') {
    const client = integrationClient();
    const source = uniqueName('consumer-failure');
    await client.createQueue(source);
    return {
      source,
      breakIt: async () => {
        await client.deleteQueue(source);
        await client.close();
      },
    };
  }
  const source = uniqueName('consumer-failure');
  await createTopics(source, 1);
  return {
    source,
    // kafkajs cannot decompress Snappy: its consumer crashes with a non-retriable
    // KafkaJSNotImplemented and does not restart. The value must compress well, or
    // librdkafka sends it uncompressed.
    breakIt: async () => {
      await kcat(['-P', '-t', source, '-z', 'snappy'], `${'a'.repeat(20_000)}\n`);
    },
  };
}

describe('a consumer-only app whose consumer fails for good', () => {
  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    execFileSync(
      'npx',
      ['tsc', '-p', 'test/integration/runtime/consumer-failure/tsconfig.json', '--outDir', OUT],
      { cwd: ROOT, stdio: 'pipe' },
    );
  });

  afterEach(() => {
    for (const child of running.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it.each(RUNS)(
    'stays up by default on $transport ($runner), with the consumer failed in its statuses',
    async ({ runner, transport }) => {
      const { source, breakIt } = await failingSource(transport);
      const app = startApp(transport, source, undefined, runner);
      await untilState(app, 'running');
      await breakIt();
      await untilState(app, 'failed');

      const exit = await Promise.race([
        app.exited,
        new Promise<'still running'>((resolve) =>
          setTimeout(() => resolve('still running'), STAYS_UP_MS),
        ),
      ]);
      expect(exit, app.stderr()).toBe('still running');
      expect(app.latest()?.[0]).toMatchObject({ state: 'failed' });
      expect(app.latest()?.[0]?.lastError).toBeTruthy();
      expect(app.stderr()).toContain('statuses() reports it as failed');

      // It is still a well-behaved app: SIGTERM shuts it down.
      app.child.kill('SIGTERM');
      expect(await app.exited).not.toBe(0);
    },
    60_000,
  );

  it.each(RUNS)(
    "exits non-zero with the reason on stderr on $transport ($runner) with onConsumerFailure: 'exit'",
    async ({ runner, transport }) => {
      const { source, breakIt } = await failingSource(transport);
      const app = startApp(transport, source, 'exit', runner);
      await untilState(app, 'running');
      await breakIt();

      const exit = await Promise.race([
        app.exited,
        new Promise<'still running'>((resolve) =>
          setTimeout(() => resolve('still running'), FAILURE_WITHIN_MS),
        ),
      ]);
      expect(exit, app.stderr()).toBe(1);
      expect(app.stderr()).toMatch(FAILURE_REASONS[transport]);
      expect(app.stderr()).toContain("onConsumerFailure is 'exit'");
    },
    60_000,
  );
});
