import { execFileSync, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { Controller, Inject, Injectable, type Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  ConsumerOrchestrator,
  EventType,
  InstructionType,
  MessageBusMessage,
  MessageBusModule,
  OnEvent,
  OnInstruction,
  type MessageBusModuleOptions,
  type PaymentPayload,
  type TransactionStatusEventPayload,
} from 'nestjs-message-bus';
import { buildPaymentMessage } from '../../support/payment-message';

export const SERVICE_TOKEN = 'redrive.service.token';
const ROOT = resolve(__dirname, '../../..');

/** What the test app's handlers did, and whether they are still "broken" for poison messages. */
export class HandlerLog {
  /** While true, a message whose reference starts with `POISON` fails. */
  broken = true;
  /** `payment:<reference>` / `status:<reference>` for every successful call. */
  readonly handled: string[] = [];

  run(host: string, reference: string): void {
    if (this.broken && reference.startsWith('POISON')) {
      throw new Error(`cannot handle ${reference} yet`);
    }
    this.handled.push(`${host}:${reference}`);
  }

  count(entry: string): number {
    return this.handled.filter((handled) => handled === entry).length;
  }
}

const LOG = Symbol('HandlerLog');

/** PAYMENT instructions: handled on a controller. */
@Controller()
class PaymentController {
  constructor(@Inject(LOG) private readonly log: HandlerLog) {}

  @OnInstruction(InstructionType.PAYMENT)
  onPayment(payment: PaymentPayload): void {
    this.log.run('payment', payment.reference);
  }
}

/** TRANSACTION_STATUS_UPDATE events: handled on a provider. */
@Injectable()
class StatusHandler {
  constructor(@Inject(LOG) private readonly log: HandlerLog) {}

  @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
  onStatus(status: TransactionStatusEventPayload): void {
    this.log.run('status', status.reference);
  }
}

export function payment(reference: string): MessageBusMessage {
  return buildPaymentMessage({ reference, payerName: 'Zoë Redrive', serviceToken: SERVICE_TOKEN });
}

export function statusEvent(reference: string): MessageBusMessage {
  return MessageBusMessage.create({
    source: 'LEDGER',
    event: EventType.TRANSACTION_STATUS_UPDATE,
    serviceToken: SERVICE_TOKEN,
    payload: { reference, status: 'DONE' },
  });
}

export interface RedriveApp {
  readonly app: TestingModule;
  readonly log: HandlerLog;
  close(): Promise<void>;
}

/** A real Nest app on the bus with the controller and the provider handler. */
export async function startRedriveApp(options: MessageBusModuleOptions): Promise<RedriveApp> {
  const log = new HandlerLog();
  const app = await Test.createTestingModule({
    imports: [MessageBusModule.forRoot(options)],
    controllers: [PaymentController as Type<unknown>],
    providers: [StatusHandler, { provide: LOG, useValue: log }],
  }).compile();
  await app.init();
  let closed = false;
  return {
    app,
    log,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}

export function statusesOf(app: RedriveApp) {
  return app.app.get(ConsumerOrchestrator).statuses();
}

/**
 * Compiles the library (with the CLI) into a git-ignored folder inside the repo, so that the
 * child process resolves commander and the SDKs from the repo's node_modules. Returns main.js.
 */
export function buildCli(): { main: string; remove: () => void } {
  const outDir = resolve(ROOT, 'dist-test-apps', `redrive-cli-${process.pid}`);
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', outDir], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  const main = resolve(outDir, 'cli/main.js');
  if (!existsSync(main)) throw new Error(`the build wrote no ${main}`);
  return { main, remove: () => rmSync(outDir, { recursive: true, force: true }) };
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI; with `interruptWhen`, sends SIGINT once that check (polled) holds. */
export function runCli(
  main: string,
  args: readonly string[],
  env: Record<string, string>,
  interruptWhen?: () => Promise<boolean>,
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [main, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let running = true;
    const poll = async (): Promise<void> => {
      while (running && interruptWhen && !(await interruptWhen())) {
        await new Promise((done) => setTimeout(done, 100));
      }
      if (running && interruptWhen) child.kill('SIGINT');
    };
    poll().catch(reject);
    child.on('error', reject);
    child.on('close', (code) => {
      running = false;
      resolvePromise({ code, stdout, stderr });
    });
  });
}

export { waitFor } from '../runtime/sqs/sqs-consumer-kit';

/** What a redrive suite shares: the built CLI, and the app a test started (closed after it). */
export interface RedriveSuite {
  readonly cli: { readonly main: string };
  app: RedriveApp | undefined;
}

/** Builds the CLI once for the suite and closes each test's app after it. */
export function useRedriveSuite(): RedriveSuite {
  let built: ReturnType<typeof buildCli> | undefined;
  const suite: RedriveSuite = {
    cli: {
      get main(): string {
        if (!built) throw new Error('the CLI is built in beforeAll');
        return built.main;
      },
    },
    app: undefined,
  };
  beforeAll(() => {
    built = buildCli();
  });
  afterEach(async () => {
    await suite.app?.close();
    suite.app = undefined;
  });
  afterAll(() => built?.remove());
  return suite;
}
