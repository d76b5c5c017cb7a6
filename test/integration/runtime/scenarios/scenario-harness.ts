import { Test, type TestingModule } from '@nestjs/testing';
import {
  MessageBusModule,
  type ConsumersOptions,
  type MessageBusModuleOptions,
} from 'nestjs-message-bus';
import { SCENARIO_RETRY, type SourceRole } from './delivery-scenarios';
import {
  RefuseMarkedGuard,
  SCENARIO_LEDGER,
  ScenarioLedger,
  ScenarioPaymentHandler,
  ScenarioStatusController,
} from './scenario-handlers';

/** What became of one message, as read back from the transport itself. */
export type ObservedSettlement =
  | { readonly action: 'acknowledge' }
  | { readonly action: 'dead-letter'; readonly reason: string }
  /** Neither: still at its source (SQS: on the queue; Kafka: not committed). */
  | { readonly action: 'none' };

/** What a harness read back from its transport at one moment. */
export interface SettlementSnapshot {
  of(tag: string): ObservedSettlement;
  /** Nothing sent is still queued, in flight or due for a retry at the sources. */
  readonly sourcesDrained: boolean;
}

/** One running consumer app (or, on memory, its successor: see MemoryHarness). */
export interface HarnessApp {
  /** Sends `body` as is; `lane` picks the Kafka partition / memory key, so cases run side by side. */
  send(source: SourceRole, tag: string, body: string, lane: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * One transport under the scenario suite: it creates the sources (queues or topics, each with
 * a dead-letter destination), boots Nest apps on them with `MessageBusModule.forRoot(...)` and
 * the consumers of `scenarioConsumers`, and reads back from the transport what happened.
 */
export interface TransportHarness {
  readonly name: string;
  readonly ledger: ScenarioLedger;
  /**
   * Whether a message delivered again to the next app keeps counting attempts (SQS counts
   * receives; Kafka counts in the process, so a new app starts again at 1, as the README says).
   */
  readonly attemptsSurviveRestart: boolean;
  /** The delay the transport really waits when asked for `ms` (SQS: whole seconds). */
  waitedDelayMs(ms: number): number;
  prepare(): Promise<void>;
  startApp(shutdownTimeoutMs: number): Promise<HarnessApp>;
  /** The next consumer of the same sources (and groups) once `previous` has closed. */
  startSuccessor(previous: HarnessApp): Promise<HarnessApp>;
  /** Resolves once every message sent so far is settled: acknowledged or dead-lettered. */
  whenSettled(timeoutMs: number): Promise<void>;
  snapshot(): Promise<SettlementSnapshot>;
  dispose(): Promise<void>;
}

/** The names of one harness's sources and their dead-letter destinations. */
export interface ScenarioSources {
  readonly main: string;
  readonly strict: string;
  readonly mainDeadLetter: string;
  readonly strictDeadLetter: string;
  /** Kafka consumer groups. */
  readonly mainGroup: string;
  readonly strictGroup: string;
}

export function sourceName(sources: ScenarioSources, role: SourceRole): string {
  return role === 'main' ? sources.main : sources.strict;
}

/**
 * Partitions of each Kafka scenario topic, and group members per topic in each app: one
 * member per partition, so that cases on different lanes run side by side. With a single
 * member they would not on real Kafka: kafkajs fetches again only once every batch of the
 * member's last fetch has returned, so a slow handler on one partition holds back records of
 * the others that were not in that fetch (README, "Slow handlers"). Scenario 10 needs its two
 * slow messages in flight together when `close()` is called.
 */
export const SCENARIO_KAFKA_PARTITIONS = 4;

/**
 * The SQS consumers' long poll, shorter than scenario 10's 1.5 s handler: a stopping SQS
 * consumer lets the long poll it already sent end before `close()` returns (README,
 * "Shutdown": SQS would keep an aborted one open and hide what it takes), so with the default
 * 20 s `close()` would outlast the handler that S10b needs still running when it returns.
 */
const SCENARIO_SQS_WAIT_TIME_SECONDS = 1;

/**
 * The consumers of every scenario app, the same whether they run on their broker or on the
 * memory bus: `main` with the default `unhandled` setting, `strict` dead-lettering unhandled
 * events; both retry as `SCENARIO_RETRY` says and have a dead-letter destination.
 */
export function scenarioConsumers(
  bus: 'sqs' | 'kafka',
  sources: ScenarioSources,
): ConsumersOptions {
  if (bus === 'sqs') {
    return {
      sqs: [
        {
          queue: sources.main,
          deadLetterQueue: sources.mainDeadLetter,
          retry: SCENARIO_RETRY,
          waitTimeSeconds: SCENARIO_SQS_WAIT_TIME_SECONDS,
        },
        {
          queue: sources.strict,
          deadLetterQueue: sources.strictDeadLetter,
          retry: SCENARIO_RETRY,
          waitTimeSeconds: SCENARIO_SQS_WAIT_TIME_SECONDS,
          unhandled: 'dead-letter',
        },
      ],
    };
  }
  return {
    kafka: [
      {
        topic: sources.main,
        groupId: sources.mainGroup,
        deadLetterTopic: sources.mainDeadLetter,
        retry: SCENARIO_RETRY,
        members: SCENARIO_KAFKA_PARTITIONS,
      },
      {
        topic: sources.strict,
        groupId: sources.strictGroup,
        deadLetterTopic: sources.strictDeadLetter,
        retry: SCENARIO_RETRY,
        unhandled: 'dead-letter',
        members: SCENARIO_KAFKA_PARTITIONS,
      },
    ],
  };
}

/** A started Nest app with the bus module and both scenario handlers (provider and controller). */
export async function bootScenarioApp(
  options: MessageBusModuleOptions,
  ledger: ScenarioLedger,
): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [MessageBusModule.forRoot(options)],
    controllers: [ScenarioStatusController],
    providers: [
      ScenarioPaymentHandler,
      RefuseMarkedGuard,
      { provide: SCENARIO_LEDGER, useValue: ledger },
    ],
  }).compile();
  await app.init();
  return app;
}

/** The reason code a dead-letter reason starts with (`handler-error: Error: ...` → `handler-error`). */
export function reasonCode(reason: string): string {
  return reason.split(':', 1)[0];
}

/** `close` that runs once, however often it is called. */
export function closingOnce(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}
