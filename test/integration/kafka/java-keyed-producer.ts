import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brokerVariable } from '../../support/broker-environment';

const run = promisify(execFile);
const SOURCE = resolve(__dirname, 'peers/KeyedProducer.java');

/** One keyed record for the Java producer, and where it wrote it. */
export interface JavaKeyedRecord {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
}

/**
 * The kafka-clients jar (and slf4j-api, which it needs) that `scripts/brokers/brokers.sh`
 * downloaded next to the broker: `<kafka cache>/<version>/jars`, the cache being the folder
 * of `KAFKA_SSL_CA_FILE`. Fails with what to run when they are missing.
 */
function kafkaClientsClasspath(): string {
  const kafkaDir = dirname(brokerVariable('KAFKA_SSL_CA_FILE'));
  const versions = [process.env.KAFKA_VERSION, ...readdirSync(kafkaDir)].filter(
    (version): version is string =>
      version !== undefined && existsSync(join(kafkaDir, version, 'jars')),
  );
  for (const version of versions) {
    const jarsDir = join(kafkaDir, version, 'jars');
    const jars = readdirSync(jarsDir).filter((jar) =>
      /^(kafka-clients|slf4j-api)-.*\.jar$/.test(jar),
    );
    if (jars.some((jar) => jar.startsWith('kafka-clients-'))) {
      return jars.map((jar) => join(jarsDir, jar)).join(delimiter);
    }
  }
  throw new Error(
    `no kafka-clients jar under ${kafkaDir}/<version>/jars: run \`npm run brokers:up\` (it downloads the Kafka jars)`,
  );
}

let compiled: Promise<{ classpath: string }> | undefined;

/** Compiles `peers/KeyedProducer.java` once per test run, with `javac` against kafka-clients. */
function compile(): Promise<{ classpath: string }> {
  compiled ??= (async () => {
    const jars = kafkaClientsClasspath();
    const out = mkdtempSync(join(tmpdir(), 'keyed-producer-'));
    try {
      await run('javac', ['-cp', jars, '-d', out, SOURCE]);
    } catch (error) {
      throw new Error(
        `javac failed (a JDK 17 is needed: scripts/brokers/install-prereqs.sh): ${String(error)}`,
      );
    }
    return { classpath: [out, jars].join(delimiter) };
  })();
  return compiled;
}

/**
 * Produces the records with the official Java client's default partitioner, one JVM for all,
 * and returns the partition the Java client reported for each, in order.
 */
export async function produceWithJavaClient(
  records: readonly JavaKeyedRecord[],
): Promise<number[]> {
  for (const { topic, key, value } of records) {
    if (/[\t\n\r]/.test(topic + key + value)) throw new Error('no tabs or line breaks, please');
  }
  const { classpath } = await compile();
  const child = execFile(
    'java',
    ['-cp', classpath, 'KeyedProducer', brokerVariable('KAFKA_BOOTSTRAP_SERVERS')],
    { encoding: 'utf8', timeout: 60_000 },
  );
  const output = new Promise<string>((resolvePromise, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolvePromise(stdout) : reject(new Error(`java exited ${code}: ${stderr}`)),
    );
  });
  child.stdin?.end(records.map(({ topic, key, value }) => `${topic}\t${key}\t${value}\n`).join(''));
  const lines = (await output).split('\n').filter((line) => line !== '');
  if (lines.length !== records.length) {
    throw new Error(`the Java producer reported ${lines.length} of ${records.length} records`);
  }
  return lines.map((line, index) => {
    const [topic, key, partition] = line.split('\t');
    const record = records[index];
    if (topic !== record.topic || key !== record.key) {
      throw new Error(`the Java producer reported ${line} for ${record.topic}/${record.key}`);
    }
    return Number(partition);
  });
}
