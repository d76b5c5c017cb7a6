import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BROKERS_SCRIPT = resolve(__dirname, '../../../scripts/brokers/brokers.sh');
const SHARED_CACHE =
  process.env.MESSAGE_BUS_CACHE ?? join(homedir(), '.cache', 'nestjs-message-bus');
const ELASTICMQ_VERSION = process.env.ELASTICMQ_VERSION ?? '1.7.1';

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (typeof address !== 'object' || address === null) throw new Error('no port was given');
  return address.port;
}

/**
 * An ElasticMQ of one test's own, on a spare port, that the test may stop: started and
 * stopped by the repo's brokers.sh with a cache folder of its own (pid file, config and log),
 * whose jars are a link to the shared cache's, so nothing is downloaded. The shared brokers
 * are never touched.
 */
export class DisposableElasticMq {
  private constructor(
    readonly port: number,
    private readonly cache: string,
  ) {}

  /** The base queue URL (`sqs.queueUrl`) of ElasticMQ's account. */
  get queueUrl(): string {
    return `http://127.0.0.1:${this.port}/000000000000`;
  }

  static async start(): Promise<DisposableElasticMq> {
    const cache = mkdtempSync(join(tmpdir(), 'health-elasticmq-'));
    mkdirSync(join(cache, 'elasticmq'));
    symlinkSync(
      join(SHARED_CACHE, 'elasticmq', ELASTICMQ_VERSION),
      join(cache, 'elasticmq', ELASTICMQ_VERSION),
      'dir',
    );
    const broker = new DisposableElasticMq(await freePort(), cache);
    await broker.script('up');
    return broker;
  }

  async stop(): Promise<void> {
    await this.script('down');
  }

  /** Stops it (if still running) and removes its cache folder; the shared jars stay. */
  async dispose(): Promise<void> {
    try {
      await this.stop();
    } finally {
      rmSync(this.cache, { recursive: true, force: true });
    }
  }

  private async script(command: 'up' | 'down'): Promise<void> {
    await run('bash', [BROKERS_SCRIPT, command, 'sqs'], {
      env: { ...process.env, MESSAGE_BUS_CACHE: this.cache, SQS_PORT: String(this.port) },
      timeout: 150_000,
    });
  }
}
