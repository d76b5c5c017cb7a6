import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BROKERS_SCRIPT = resolve(__dirname, '../../../scripts/brokers/brokers.sh');
const SHARED_CACHE =
  process.env.MESSAGE_BUS_CACHE ?? join(homedir(), '.cache', 'nestjs-message-bus');
const ELASTICMQ_VERSION = process.env.ELASTICMQ_VERSION ?? '1.7.1';
const KAFKA_VERSION = process.env.KAFKA_VERSION ?? '4.4.0';

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
 * A broker of one test's own, on spare ports, that the test may stop: started and stopped by
 * the repo's brokers.sh with a cache folder of its own (pid file, config, data, log), whose
 * jars (and, for Kafka, TLS material and the Python peer's virtualenv) are links to the shared
 * cache's, so nothing is downloaded. The shared brokers are never touched.
 */
export class DisposableBroker {
  private constructor(
    private readonly name: 'sqs' | 'kafka',
    private readonly cache: string,
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  /** ElasticMQ; `queueUrl` is the base queue URL of its account. */
  static async elasticMq(): Promise<DisposableBroker & { readonly queueUrl: string }> {
    const cache = mkdtempSync(join(tmpdir(), 'health-elasticmq-'));
    mkdirSync(join(cache, 'elasticmq'));
    link(cache, join('elasticmq', ELASTICMQ_VERSION));
    const port = await freePort();
    const broker = new DisposableBroker('sqs', cache, { SQS_PORT: String(port) });
    await broker.script('up');
    return Object.assign(broker, { queueUrl: `http://127.0.0.1:${port}/000000000000` });
  }

  /** A single-node Kafka (KRaft); `bootstrapServers` is its PLAINTEXT listener. */
  static async kafka(): Promise<DisposableBroker & { readonly bootstrapServers: string }> {
    const cache = mkdtempSync(join(tmpdir(), 'health-kafka-'));
    mkdirSync(join(cache, 'kafka'));
    link(cache, join('kafka', KAFKA_VERSION));
    link(cache, join('kafka', 'tls'));
    copyFileSync(join(SHARED_CACHE, 'kafka', 'ca.pem'), join(cache, 'kafka', 'ca.pem'));
    link(cache, 'moto-venv');
    const [port, controller, sasl, saslSsl] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const broker = new DisposableBroker('kafka', cache, {
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controller),
      KAFKA_SASL_PORT: String(sasl),
      KAFKA_SASL_SSL_PORT: String(saslSsl),
      KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
    });
    await broker.script('up');
    return Object.assign(broker, { bootstrapServers: `127.0.0.1:${port}` });
  }

  async stop(): Promise<void> {
    await this.script('down');
  }

  /** Stops it (if still running) and removes its cache folder; the shared files stay. */
  async dispose(): Promise<void> {
    try {
      await this.stop();
    } finally {
      rmSync(this.cache, { recursive: true, force: true });
    }
  }

  private async script(command: 'up' | 'down'): Promise<void> {
    await run('bash', [BROKERS_SCRIPT, command, this.name], {
      env: { ...process.env, ...this.env, MESSAGE_BUS_CACHE: this.cache },
      timeout: 170_000,
    });
  }
}

function link(cache: string, path: string): void {
  symlinkSync(join(SHARED_CACHE, path), join(cache, path), 'dir');
}
