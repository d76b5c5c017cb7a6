import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { brokerVariable } from './broker-environment';

const run = promisify(execFile);

/**
 * The kafka-clients jar (and slf4j-api, which it needs) that `scripts/brokers/brokers.sh`
 * downloaded next to the broker: `<kafka cache>/<version>/jars`, the cache being the folder
 * of `KAFKA_SSL_CA_FILE`. Fails with what to run when they are missing.
 */
export function kafkaClientsClasspath(): string {
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

const compiled = new Map<string, Promise<string>>();

/**
 * Compiles a Java peer (one `.java` file) against kafka-clients with `javac`, once per test
 * run, and resolves to the classpath that runs it.
 */
export function compileJavaPeer(source: string): Promise<string> {
  let classpath = compiled.get(source);
  if (!classpath) {
    classpath = (async () => {
      const jars = kafkaClientsClasspath();
      const out = mkdtempSync(join(tmpdir(), `${basename(source, '.java')}-`));
      try {
        await run('javac', ['-cp', jars, '-d', out, source]);
      } catch (error) {
        throw new Error(
          `javac failed (a JDK 17 is needed: scripts/brokers/install-prereqs.sh): ${String(error)}`,
        );
      }
      return [out, jars].join(delimiter);
    })();
    compiled.set(source, classpath);
  }
  return classpath;
}

/** Starts the compiled peer's `mainClass` with `args`; its output is the caller's to read. */
export async function spawnJavaPeer(
  source: string,
  mainClass: string,
  args: readonly string[],
): Promise<ChildProcess> {
  const classpath = await compileJavaPeer(source);
  return spawn('java', ['-cp', classpath, mainClass, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/**
 * Runs the compiled peer's `mainClass` to its end with `input` on its standard input, and
 * resolves to what it printed; rejects with its error output when it exits with an error.
 */
export async function runJavaPeer(
  source: string,
  mainClass: string,
  args: readonly string[],
  input: string,
): Promise<string> {
  const classpath = await compileJavaPeer(source);
  const child = execFile('java', ['-cp', classpath, mainClass, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const output = new Promise<string>((resolveOutput, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolveOutput(stdout) : reject(new Error(`java exited ${code}: ${stderr}`)),
    );
  });
  child.stdin?.end(input);
  return output;
}
