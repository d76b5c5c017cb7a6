import type { SqsClient } from '../../../../lib/transports/sqs/sqs.client';
import { sqsEndpoint } from '../../../support/broker-environment';
import { ACCOUNT_ID, DUMMY_CREDENTIALS } from '../../sqs/sqs-test-kit';
import {
  attribute,
  createQueue,
  drainQueue,
  integrationClient,
  queueDepth,
  sendRaw,
  waitFor,
} from '../sqs/sqs-consumer-kit';
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

/**
 * The scenario suite on real SQS (ElasticMQ). SQS cannot be asked about one message, so what
 * happened is read back from the queues: a message in the dead-letter queue was dead-lettered
 * (its reason in the `bus-reason` attribute); one that is not there while its queue holds
 * nothing, visible or in flight, was deleted, i.e. acknowledged.
 */
export class SqsHarness implements TransportHarness {
  readonly name = 'sqs (ElasticMQ)';
  readonly ledger = new ScenarioLedger();
  readonly attemptsSurviveRestart = true;
  private client!: SqsClient;
  private sources!: ScenarioSources;
  private readonly sentTo = new Map<string, string>();
  /** Reasons by tag; drained dead letters stay out of sight, so they are kept here. */
  private readonly deadLetters = new Map<string, string>();

  waitedDelayMs(ms: number): number {
    return Math.ceil(ms / 1_000) * 1_000;
  }

  async prepare(): Promise<void> {
    this.client = integrationClient();
    const [main, mainDeadLetter, strict, strictDeadLetter] = await Promise.all(
      ['scenario-main', 'scenario-main-dlq', 'scenario-strict', 'scenario-strict-dlq'].map(
        (prefix) => createQueue(this.client, prefix),
      ),
    );
    this.sources = {
      main,
      strict,
      mainDeadLetter,
      strictDeadLetter,
      mainGroup: '',
      strictGroup: '',
    };
  }

  async startApp(shutdownTimeoutMs: number): Promise<HarnessApp> {
    const app = await bootScenarioApp(
      {
        transport: 'sqs',
        sqs: {
          queueUrl: `${sqsEndpoint()}/${ACCOUNT_ID}`,
          region: 'eu-west-1',
          credentials: DUMMY_CREDENTIALS,
        },
        consumers: scenarioConsumers('sqs', this.sources),
        shutdownTimeoutMs,
      },
      this.ledger,
    );
    return {
      send: async (role: SourceRole, tag: string, body: string) => {
        const queue = sourceName(this.sources, role);
        this.sentTo.set(tag, queue);
        await sendRaw(queue, body);
      },
      close: closingOnce(() => app.close()),
    };
  }

  startSuccessor(): Promise<HarnessApp> {
    return this.startApp(10_000);
  }

  async whenSettled(timeoutMs: number): Promise<void> {
    await waitFor('the scenario queues to be empty', () => this.drained(), timeoutMs, 200);
  }

  async snapshot(): Promise<SettlementSnapshot> {
    for (const queue of [this.sources.mainDeadLetter, this.sources.strictDeadLetter]) {
      for (const message of await drainQueue(this.client, queue)) {
        const tag = [...this.sentTo.keys()].find((sent) => message.rawBody.includes(sent));
        if (tag !== undefined) this.deadLetters.set(tag, attribute(message, 'bus-reason') ?? '');
      }
    }
    const empty = new Map<string, boolean>();
    for (const queue of [this.sources.main, this.sources.strict]) {
      const depth = await queueDepth(this.client, queue);
      empty.set(queue, depth.visible === 0 && depth.inFlight === 0);
    }
    const deadLetters = new Map(this.deadLetters);
    const sentTo = new Map(this.sentTo);
    return {
      of: (tag): ObservedSettlement => {
        const reason = deadLetters.get(tag);
        if (reason !== undefined) return { action: 'dead-letter', reason };
        return empty.get(sentTo.get(tag) ?? '') ? { action: 'acknowledge' } : { action: 'none' };
      },
      sourcesDrained: [...empty.values()].every(Boolean),
    };
  }

  async dispose(): Promise<void> {
    await this.client.close();
  }

  private async drained(): Promise<boolean> {
    for (const queue of [this.sources.main, this.sources.strict]) {
      const depth = await queueDepth(this.client, queue);
      if (depth.visible > 0 || depth.inFlight > 0) return false;
    }
    return true;
  }
}
