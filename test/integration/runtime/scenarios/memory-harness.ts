import type { TestingModule } from '@nestjs/testing';
import { MessageDispatcher } from '../../../../lib/runtime/message.dispatcher';
import { MESSAGE_BUS_RESOLVED_OPTIONS } from '../../../../lib/message-bus.constants';
import type { ResolvedMessageBusOptions } from '../../../../lib/options/resolved-options';
import { startConsumers } from '../../../../lib/runtime/start-consumers';
import { MessageTransports } from '../../../../lib/transports/message-transports';
import type { MemoryTransport } from '../../../../lib/transports/memory/memory.transport';
import type { RunningConsumer } from '../../../../lib/transports/transport.interface';
import type { MemoryDeadLetterRecord, MemorySettlement } from 'nestjs-message-bus/testing';
import { uniqueName } from '../../../support/broker-environment';
import type { SourceRole } from './delivery-scenarios';
import { ScenarioLedger } from './scenario-handlers';
import {
  bootScenarioApp,
  closingOnce,
  scenarioConsumers,
  sourceName,
  type HarnessApp,
  type ObservedSettlement,
  type ScenarioSources,
  type SettlementSnapshot,
  type TransportHarness,
} from './scenario-harness';

interface MemoryApp extends HarnessApp {
  readonly transport: MemoryTransport;
  readonly app: TestingModule;
}

/**
 * The scenario suite on the in-memory bus (`transport: 'memory'`), with the consumers it
 * stands in for: `consumers.sqs` or `consumers.kafka`, the same settings the broker harness
 * uses. What happened is read from the bus itself: its settlements and dead letters.
 *
 * Scenario 10's "next app on the same queue" has no literal equivalent here: each app owns
 * its in-memory bus, and the bus dies with the app. The faithful stand-in is the next
 * consumer of the same bus instance: once the app has closed, its own runtime call
 * (`startConsumers`, with the app's options and dispatcher) starts consumers of the same
 * queues and groups again, and what the closed consumers gave back unsettled reaches them,
 * exactly as a broker would hand it to the next app. Nothing is re-implemented for the test.
 */
export class MemoryHarness implements TransportHarness {
  readonly name: string;
  readonly ledger = new ScenarioLedger();
  readonly attemptsSurviveRestart = true;
  private sources!: ScenarioSources;
  private readonly messageIds = new Map<string, string>();
  private readonly settlements = new Map<string, MemorySettlement>();
  private readonly deadLetters = new Map<string, MemoryDeadLetterRecord>();
  private readonly transports = new Set<MemoryTransport>();

  constructor(private readonly bus: 'sqs' | 'kafka') {
    this.name = `memory (consumers.${bus})`;
  }

  waitedDelayMs(ms: number): number {
    return ms;
  }

  async prepare(): Promise<void> {
    const main = uniqueName('scenario-main');
    const strict = uniqueName('scenario-strict');
    this.sources = {
      main,
      strict,
      mainDeadLetter: `${main}-dead-letters`,
      strictDeadLetter: `${strict}-dead-letters`,
      mainGroup: `${main}-group`,
      strictGroup: `${strict}-group`,
    };
  }

  async startApp(shutdownTimeoutMs: number): Promise<HarnessApp> {
    const app = await bootScenarioApp(
      {
        transport: 'memory',
        consumers: scenarioConsumers(this.bus, this.sources),
        shutdownTimeoutMs,
      },
      this.ledger,
    );
    const transport = app.get(MessageTransports, { strict: false }).memory;
    this.watch(transport);
    return this.appOn(
      transport,
      app,
      closingOnce(() => app.close()),
    );
  }

  async startSuccessor(previous: HarnessApp): Promise<HarnessApp> {
    const { app, transport } = previous as MemoryApp;
    const options = app.get<ResolvedMessageBusOptions>(MESSAGE_BUS_RESOLVED_OPTIONS, {
      strict: false,
    });
    const consumers: RunningConsumer[] = await startConsumers(
      options,
      app.get(MessageTransports, { strict: false }),
      app.get(MessageDispatcher, { strict: false }),
    );
    return this.appOn(
      transport,
      app,
      closingOnce(async () => {
        await Promise.all(consumers.map((consumer) => consumer.stop(options.shutdownTimeoutMs)));
      }),
    );
  }

  async whenSettled(): Promise<void> {
    await Promise.all([...this.transports].map((transport) => transport.whenIdle()));
  }

  async snapshot(): Promise<SettlementSnapshot> {
    const settlements = new Map(this.settlements);
    const deadLetters = new Map(this.deadLetters);
    const ids = new Map(this.messageIds);
    return {
      of: (tag): ObservedSettlement => {
        const id = ids.get(tag);
        const settlement = id === undefined ? undefined : settlements.get(id);
        if (settlement?.action === 'acknowledge') return { action: 'acknowledge' };
        if (settlement?.action === 'dead-letter') {
          return { action: 'dead-letter', reason: deadLetters.get(id as string)?.reason ?? '' };
        }
        return { action: 'none' };
      },
      sourcesDrained: [...ids.values()].every((id) => settlements.get(id)?.action !== 'leave'),
    };
  }

  async dispose(): Promise<void> {
    this.transports.clear();
  }

  private watch(transport: MemoryTransport): void {
    this.transports.add(transport);
    transport.observe({
      // The latest settlement of a message wins: a redelivered one is settled again.
      settled: (settlement) => this.settlements.set(settlement.messageId, settlement),
      deadLettered: (record) => this.deadLetters.set(record.messageId, record),
    });
  }

  private appOn(
    transport: MemoryTransport,
    app: TestingModule,
    close: () => Promise<void>,
  ): MemoryApp {
    return {
      app,
      transport,
      send: async (role: SourceRole, tag: string, body: string, lane: number) => {
        const options = this.bus === 'kafka' ? { key: `lane-${lane}` } : {};
        this.messageIds.set(
          tag,
          transport.publishRaw(body, sourceName(this.sources, role), options),
        );
      },
      close,
    };
  }
}
