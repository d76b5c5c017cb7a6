import { execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { SqsClient } from '../../lib/transports/sqs/sqs.client';
import { brokerVariable, ensureBrokers, uniqueName } from '../support/broker-environment';
import { MessageBusMessage, MessageValidationError } from '../unit/message/message-model';

/**
 * The package as a consumer gets it: built with the repo's own `npm run build`, packed with
 * `npm pack`, installed from the tarball into throwaway apps (CommonJS on Nest 11, ES modules on
 * Nest 12) and run with plain Node. The build and pack run on a copy of the repo so that they
 * never race with another run, or an editor, over the shared dist/.
 */

const REPO = resolve(__dirname, '../..');
const APPS = resolve(__dirname, 'apps');
const PACKAGE_NAME = 'nestjs-message-bus';

/** The `exports` entries that must resolve. */
const ENTRY_POINTS = ['.', './testing', './health', './redrive', './package.json'];

/** Top-level paths of the repo that the copy to build from leaves out (and any dist-* output). */
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'coverage']);

interface Manifest {
  name: string;
  main?: string;
  types?: string;
  exports: Record<string, string | Record<string, string>>;
  peerDependencies: Record<string, string>;
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}

interface AppResult {
  format: 'cjs' | 'esm';
  nestVersion: string;
  exportNames: string[];
  resolved: Record<string, string>;
  roundTrip: string;
  reordered: string;
  created: string;
  rejected: {
    name: string;
    isMessageValidationError: boolean;
    isMessageBusError: boolean;
    fields: string[];
  } | null;
  nest: { fromProvider: string; closed: boolean };
}

interface AppSpec {
  name: 'cjs' | 'esm';
  nestRange: string;
  type?: 'module';
}

const APP_SPECS: AppSpec[] = [
  { name: 'cjs', nestRange: '^11.0.0' },
  { name: 'esm', nestRange: '^12.0.0', type: 'module' },
];

/**
 * Fresh apps that install the package with the README's own install lines, for one transport
 * each (SQS-only on Nest 11, Kafka-only on Nest 12), and then consume on the real broker.
 */
interface TransportAppSpec {
  transport: 'sqs' | 'kafka';
  nest: '11' | '12';
  /** The optional SDK this app must not have. */
  absent: 'kafkajs' | '@aws-sdk/client-sqs';
}

const TRANSPORT_APP_SPECS: TransportAppSpec[] = [
  { transport: 'sqs', nest: '11', absent: 'kafkajs' },
  { transport: 'kafka', nest: '12', absent: '@aws-sdk/client-sqs' },
];

interface TransportRunResult {
  nestVersion: string;
  installed: Record<'kafkajs' | '@aws-sdk/client-sqs', boolean>;
  published?: string;
  handled?: string[];
  error?: {
    name: string;
    message: string;
    isMissingOptionalPackageError: boolean;
    isConfigurationError: boolean;
    packageName: string;
  } | null;
}

interface Run {
  code: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

/** The environment for child processes, without what an outer npm or vitest put in it. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_update_notifier: 'false', ...extra };
  for (const key of Object.keys(env)) {
    if (
      /^(npm_package_|npm_lifecycle_|VITEST)/.test(key) ||
      key === 'NODE_OPTIONS' ||
      key === 'INIT_CWD'
    ) {
      delete env[key];
    }
  }
  return env;
}

/** Runs a command in its own process group, so that a timeout ends npm's children too. */
function run(
  command: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
  env = childEnv(),
): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, timedOut, stdout, stderr });
    });
  });
}

async function runOk(
  command: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
  env?: NodeJS.ProcessEnv,
): Promise<string> {
  const result = await run(command, args, cwd, timeoutMs, env);
  if (result.code !== 0) {
    const outcome = result.timedOut
      ? `timed out after ${timeoutMs / 1000} s`
      : `exited with ${result.code}`;
    throw new Error(
      `\`${command} ${args.join(' ')}\` in ${cwd} ${outcome}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`,
    );
  }
  return result.stdout;
}

/** `npm pack --json` prints an array; a lifecycle script may print before it. */
function parsePackOutput(stdout: string): PackResult {
  const start = stdout.search(/^\[/m);
  const parsed = JSON.parse(start >= 0 ? stdout.slice(start) : stdout) as PackResult[];
  return parsed[0];
}

/** The files an `exports` entry points at, relative to the package root. */
function targetsOf(manifest: Manifest, entry: string): Record<string, string> {
  const target = manifest.exports[entry];
  const conditions = typeof target === 'string' ? { default: target } : target;
  return Object.fromEntries(
    Object.entries(conditions).map(([condition, path]) => [condition, path.replace(/^\.\//, '')]),
  );
}

const paymentFixture = readFileSync(join(REPO, 'test/fixtures/wire/PAYMENT.json'), 'latin1');

/** The fixture with every object's keys in reverse order: the output order must not follow the input. */
const reorderedFixture = JSON.stringify(JSON.parse(paymentFixture), (_key, value: unknown) =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).reverse())
    : value,
);

/** Input for the apps, and what the in-repo source says about the same input. */
const createOptions = {
  source: 'SMOKE_SERVICE',
  event: 'TRANSACTION_STATUS_UPDATE',
  payload: { reference: 'MYK-4418', status: 'Überwiesen ✓' },
  serviceToken: 'smoke.jwt.token',
  idempotencyKey: 'a18f3e5c-6b2d-4a9e-9c4f-7d3b9e2a5f68',
  ipAddress: '203.0.113.9',
};
const invalidMessage = (() => {
  const wire = JSON.parse(paymentFixture) as {
    meta_data: Record<string, unknown>;
    payload: Record<string, unknown>;
  };
  delete wire.payload.currency;
  wire.meta_data.token = '  ';
  return JSON.stringify(wire);
})();

function expectedRejection(): MessageValidationError {
  try {
    MessageBusMessage.fromJSON(invalidMessage);
  } catch (error) {
    return error as MessageValidationError;
  }
  throw new Error('the invalid message was accepted by the source');
}

describe('the packed package', () => {
  let work: string;
  let staging: string;
  let manifest: Manifest;
  let pack: PackResult;
  let tarball: string;
  const apps: Record<string, Promise<PreparedApp>> = {};
  const transportApps: Record<string, Promise<PreparedTransportApp>> = {};

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nestjs-message-bus-smoke-'));
    staging = join(work, 'package');
    cpSync(REPO, staging, {
      recursive: true,
      filter: (source) => {
        const path = relative(REPO, source);
        const top = path.split(/[\\/]/)[0];
        return (
          !NOT_COPIED.has(top) &&
          !top.startsWith('dist-') &&
          basename(source) !== 'node_modules' &&
          !path.endsWith('.tgz')
        );
      },
    });
    symlinkSync(join(REPO, 'node_modules'), join(staging, 'node_modules'), 'dir');
    await runOk('npm', ['run', 'build'], staging, 180_000);
    pack = parsePackOutput(
      await runOk('npm', ['pack', '--json', '--pack-destination', work], staging, 60_000),
    );
    tarball = join(work, pack.filename);
    manifest = JSON.parse(readFileSync(join(staging, 'package.json'), 'utf8')) as Manifest;
    // Both apps install and run side by side; each app's own hook awaits its result.
    for (const spec of APP_SPECS) {
      apps[spec.name] = prepareApp(spec, join(work, `app-${spec.name}`), manifest, tarball);
      apps[spec.name].catch(() => undefined);
    }
    ensureBrokers();
    for (const spec of TRANSPORT_APP_SPECS) {
      transportApps[spec.transport] = prepareTransportApp(
        spec,
        join(work, `app-${spec.transport}-only`),
        tarball,
      );
      transportApps[spec.transport].catch(() => undefined);
    }
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  describe('tarball', () => {
    const packed = (): Set<string> => new Set(pack.files.map((file) => file.path));

    it('is written where npm pack was told to write it', () => {
      expect(existsSync(tarball)).toBe(true);
      expect(pack.filename).toMatch(/^nestjs-message-bus-\d+\.\d+\.\d+.*\.tgz$/);
    });

    it.each(ENTRY_POINTS)('holds every file the exports entry %s points at', (entry) => {
      const targets = targetsOf(manifest, entry);
      expect(Object.keys(targets).length).toBeGreaterThan(0);
      for (const path of Object.values(targets)) expect(packed()).toContain(path);
    });

    it.each(ENTRY_POINTS.filter((entry) => !entry.endsWith('.json')))(
      'gives the exports entry %s its types, listed first',
      (entry) => {
        const target = manifest.exports[entry];
        expect(typeof target).toBe('object');
        const conditions = Object.keys(target as Record<string, string>);
        // TypeScript takes the first condition that matches, so `types` must come first.
        expect(conditions[0]).toBe('types');
        expect(targetsOf(manifest, entry).types).toMatch(/\.d\.ts$/);
      },
    );

    it('holds main, types and a declaration file beside every script', () => {
      const files = packed();
      for (const field of [manifest.main, manifest.types]) {
        expect(field).toBeDefined();
        expect(files).toContain(field!.replace(/^\.\//, ''));
      }
      const scripts = [...files].filter((path) => path.endsWith('.js'));
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) expect(files).toContain(script.replace(/\.js$/, '.d.ts'));
    });

    it('holds no sources, tests, samples or build settings', () => {
      const unwanted = [...packed()].filter(
        (path) =>
          /^(test|sample|lib|scripts|bench|src|\.ci)\//.test(path) ||
          /\.spec\.|\.test\./.test(path) ||
          (path.endsWith('.ts') && !path.endsWith('.d.ts')) ||
          /^tsconfig.*\.json$|^vitest\.config|^\.prettierrc|^nest-cli\.json$/.test(path),
      );
      expect(unwanted).toEqual([]);
    });
  });

  describe.each(APP_SPECS)('installed in a $name app on Nest $nestRange', (spec) => {
    let app: PreparedApp;
    let result: AppResult;

    beforeAll(async () => {
      if (!(spec.name in apps))
        throw new Error('the package was not built and packed: see the first failure');
      app = await apps[spec.name];
      result = app.result;
    });

    it(`runs on Nest ${spec.nestRange} as ${spec.name}`, () => {
      expect(result.format).toBe(spec.name);
      expect(result.nestVersion.split('.')[0]).toBe(
        spec.nestRange.replace(/^\^/, '').split('.')[0],
      );
    });

    it.each(ENTRY_POINTS)(
      'resolves the exports entry %s to the file the manifest names',
      (entry) => {
        const installed = join(app.dir, 'node_modules', PACKAGE_NAME);
        const target = targetsOf(manifest, entry);
        const condition = spec.name === 'cjs' ? target.require : target.import;
        expect(realpathSync(result.resolved[entry])).toBe(
          realpathSync(join(installed, condition ?? target.default)),
        );
      },
    );

    it('exposes every runtime export of the built entry point', () => {
      const built = createRequire(join(staging, 'package.json'))(
        join(staging, 'dist/index.js'),
      ) as object;
      const names = Object.keys(built).sort();
      expect(names).toEqual(
        expect.arrayContaining([
          'MessageBusMessage',
          'MessageValidationError',
          'MessageTypeRegistry',
        ]),
      );
      expect(result.exportNames).toEqual(names);
    });

    it('parses and serialises a wire fixture byte for byte', () => {
      expect(result.roundTrip).toBe(paymentFixture);
    });

    it('writes keys in the Python field order whatever order they arrive in', () => {
      expect(reorderedFixture).not.toBe(paymentFixture);
      expect(result.reordered).toBe(paymentFixture);
    });

    it('creates a message the source reads back as the same', () => {
      const created = MessageBusMessage.fromJSON(result.created);
      expect(created.serialize()).toBe(result.created);
      expect(created.toDict()).toEqual({
        meta_data: {
          source: createOptions.source,
          created_at: created.meta_data.created_at,
          token: createOptions.serviceToken,
          idempotency_key: createOptions.idempotencyKey,
          event: createOptions.event,
          ip_address: createOptions.ipAddress,
        },
        payload: createOptions.payload,
      });
      expect(created.meta_data.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    });

    it('throws its own error classes, naming the same fields as the source', () => {
      const expected = expectedRejection();
      expect(result.rejected).toEqual({
        name: expected.name,
        isMessageValidationError: true,
        isMessageBusError: true,
        fields: expected.fields,
      });
    });

    it('boots and closes a Nest application context that uses it', () => {
      expect(result.nest).toEqual({ fromProvider: paymentFixture, closed: true });
    });

    it('type-checks a TypeScript consumer against the packed declarations', () => {
      expect(app.typeCheck, app.typeCheck.stdout + app.typeCheck.stderr).toMatchObject({ code: 0 });
    });
  });

  describe.each(TRANSPORT_APP_SPECS)(
    'installed with the README lines in a $transport-only app on Nest $nest',
    (spec) => {
      let app: PreparedTransportApp;

      beforeAll(async () => {
        if (!(spec.transport in transportApps))
          throw new Error('the package was not built and packed: see the first failure');
        app = await transportApps[spec.transport];
      });

      it(`installs on Nest ${spec.nest} without ${spec.absent}`, () => {
        expect(app.consume.nestVersion.split('.')[0]).toBe(spec.nest);
        expect(existsSync(join(app.dir, 'node_modules', spec.absent))).toBe(false);
        expect(app.consume.installed[spec.absent]).toBe(false);
        const own = spec.transport === 'sqs' ? '@aws-sdk/client-sqs' : 'kafkajs';
        expect(app.consume.installed[own]).toBe(true);
        const microservices = JSON.parse(
          readFileSync(join(app.dir, 'node_modules/@nestjs/microservices/package.json'), 'utf8'),
        ) as { version: string };
        expect(microservices.version.split('.')[0]).toBe(spec.nest);
      });

      it(`publishes and consumes on ${spec.transport} through MessageBusModule.forRoot`, () => {
        expect(app.consume).toMatchObject({
          published: spec.transport,
          handled: [`SMOKE-${spec.transport.toUpperCase()}-1`],
        });
      });

      it('runs the dlq CLI from the package bin and loads the redrive entry without the other SDK', () => {
        const bin = join(app.dir, 'node_modules', '.bin', PACKAGE_NAME);
        const help = execFileSync(bin, ['dlq', '--help'], { cwd: app.dir, encoding: 'utf8' });
        expect(help).toContain('redrive');
        expect(help).toContain('list');
        const loaded = execFileSync(
          process.execPath,
          ['-e', `console.log(Object.keys(require('${PACKAGE_NAME}/redrive')).sort().join(','))`],
          { cwd: app.dir, encoding: 'utf8' },
        );
        expect(loaded).toContain('SqsDeadLetterRedriver');
        expect(loaded).toContain('KafkaDeadLetterRedriver');
      });

      it(`says which package to install when it configures the other transport`, () => {
        const other = spec.transport === 'sqs' ? 'kafka' : 'sqs';
        const feature = other === 'sqs' ? 'the SQS transport' : 'the Kafka transport';
        expect(app.otherTransport.error).toEqual({
          name: 'MissingOptionalPackageError',
          message: `Invalid message bus configuration: ${other} is set, but ${feature} needs the package ${spec.absent}, which is not installed: run npm install ${spec.absent}`,
          isMissingOptionalPackageError: true,
          isConfigurationError: true,
          packageName: spec.absent,
        });
      });
    },
  );
});

interface PreparedApp {
  dir: string;
  result: AppResult;
  typeCheck: Run;
}

/** Installs the tarball into a fresh app of this kind, runs its index.js and type-checks a TS consumer. */
async function prepareApp(
  spec: AppSpec,
  dir: string,
  manifest: Manifest,
  tarball: string,
): Promise<PreparedApp> {
  mkdirSync(dir);
  cpSync(join(APPS, spec.name, 'index.js'), join(dir, 'index.js'));
  const dependencies: Record<string, string> = {
    ...manifest.peerDependencies,
    '@nestjs/common': spec.nestRange,
    '@nestjs/core': spec.nestRange,
    '@nestjs/microservices': spec.nestRange,
    [PACKAGE_NAME]: `file:${tarball}`,
  };
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: `smoke-${spec.name}`,
        private: true,
        ...(spec.type ? { type: spec.type } : {}),
        dependencies,
      },
      null,
      2,
    ),
  );
  await installWithOneRetry(dir);

  const stdout = await runOk(
    process.execPath,
    ['index.js'],
    dir,
    60_000,
    childEnv({
      SMOKE_ENTRY_POINTS: JSON.stringify(ENTRY_POINTS),
      SMOKE_FIXTURE: paymentFixture,
      SMOKE_REORDERED: reorderedFixture,
      SMOKE_CREATE: JSON.stringify(createOptions),
      SMOKE_INVALID: invalidMessage,
    }),
  );
  const line = stdout.split('\n').find((text) => text.startsWith('SMOKE_RESULT '));
  if (!line) throw new Error(`the ${spec.name} app printed no result:\n${stdout}`);
  const result = JSON.parse(line.slice('SMOKE_RESULT '.length)) as AppResult;

  const imports = ENTRY_POINTS.filter((entry) => !entry.endsWith('.json')).map(
    (entry, index) =>
      `import * as entry${index} from '${entry === '.' ? PACKAGE_NAME : `${PACKAGE_NAME}/${entry.slice(2)}`}';`,
  );
  writeFileSync(
    join(dir, 'consumer.ts'),
    [
      ...imports,
      `import { MessageBusMessage, MessageValidationError, type WireMessage } from '${PACKAGE_NAME}';`,
      `const message: MessageBusMessage = MessageBusMessage.fromJSON('{}');`,
      `const wire: WireMessage = message.toDict();`,
      `export const checked: string[] = [wire.meta_data.source, new MessageValidationError([]).name];`,
      `export const entries: object[] = [${imports.map((_, index) => `entry${index}`).join(', ')}];`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'node16',
        moduleResolution: 'node16',
        skipLibCheck: true,
        types: [],
      },
      files: ['consumer.ts'],
    }),
  );
  const typeCheck = await run(
    process.execPath,
    [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
    dir,
    120_000,
  );
  return { dir, result, typeCheck };
}

async function installWithOneRetry(appDir: string): Promise<void> {
  const args = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'];
  try {
    await runOk('npm', args, appDir, 150_000);
  } catch (first) {
    // A registry hiccup should not fail the suite; a second failure is real.
    rmSync(join(appDir, 'node_modules'), { recursive: true, force: true });
    try {
      await runOk('npm', args, appDir, 150_000);
    } catch (second) {
      throw new Error(
        `npm install failed twice in ${appDir}:\n${(first as Error).message}\n---\n${(second as Error).message}`,
      );
    }
  }
}

interface PreparedTransportApp {
  dir: string;
  consume: TransportRunResult;
  otherTransport: TransportRunResult;
}

/** The one command of the README block marked `<!-- install: name -->`, as its words. */
function readmeInstallCommand(name: string): string[] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- install: ${name} -->\\n\`\`\`sh\\n([^\\n]*)\\n\`\`\``).exec(
    readme,
  );
  if (!match) throw new Error(`README.md has no install block marked "install: ${name}"`);
  return match[1].trim().split(/\s+/);
}

/**
 * A fresh Nest app of one major (what `nest new` gives: core, common, platform-express,
 * reflect-metadata, rxjs), then the README's install lines for that major and one transport,
 * as written, except that `nestjs-message-bus` is the packed tarball.
 */
async function prepareTransportApp(
  spec: TransportAppSpec,
  dir: string,
  tarball: string,
): Promise<PreparedTransportApp> {
  mkdirSync(dir);
  cpSync(join(APPS, 'transport', 'index.mjs'), join(dir, 'index.mjs'));
  const nest = `^${spec.nest}.0.0`;
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: `smoke-${spec.transport}-only`,
        private: true,
        dependencies: {
          '@nestjs/common': nest,
          '@nestjs/core': nest,
          '@nestjs/platform-express': nest,
          'reflect-metadata': '^0.2.0',
          rxjs: '^7.8.1',
        },
      },
      null,
      2,
    ),
  );
  const npmEnv = childEnv({
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_prefer_offline: 'true',
    npm_config_loglevel: 'error',
  });
  await runOk('npm', ['install'], dir, 300_000, npmEnv);
  for (const block of [`nest-${spec.nest}`, spec.transport]) {
    const [command, ...args] = readmeInstallCommand(block).map((word) =>
      word === PACKAGE_NAME ? tarball : word,
    );
    await runOk(command, args, dir, 300_000, npmEnv);
  }

  const destination = uniqueName(`smoke-${spec.transport}`);
  if (spec.transport === 'sqs') {
    const client = new SqsClient({
      queueUrl: `${brokerVariable('SQS_ENDPOINT')}/000000000000`,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await client.createQueue(destination);
    await client.close();
  } else {
    const admin = new Kafka({
      brokers: [brokerVariable('KAFKA_BOOTSTRAP_SERVERS')],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: destination }] });
    await admin.disconnect();
  }
  const runApp = async (mode: 'consume' | 'other-transport'): Promise<TransportRunResult> => {
    const stdout = await runOk(
      process.execPath,
      ['index.mjs'],
      dir,
      90_000,
      childEnv({
        SMOKE_TRANSPORT: spec.transport,
        SMOKE_MODE: mode,
        SMOKE_DESTINATION: destination,
        SMOKE_SQS_URL: `${brokerVariable('SQS_ENDPOINT')}/000000000000`,
        SMOKE_KAFKA: brokerVariable('KAFKA_BOOTSTRAP_SERVERS'),
      }),
    );
    const line = stdout.split('\n').find((text) => text.startsWith('SMOKE_RESULT '));
    if (!line) throw new Error(`the ${spec.transport}-only app printed no result:\n${stdout}`);
    return JSON.parse(line.slice('SMOKE_RESULT '.length)) as TransportRunResult;
  };
  return { dir, consume: await runApp('consume'), otherTransport: await runApp('other-transport') };
}
