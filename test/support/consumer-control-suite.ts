import { ConsumptionDisabledError, type MessageBusModuleOptions } from 'nestjs-message-bus';
import { describe, expect, it } from 'vitest';
import {
  delay,
  HandledLedger,
  publishPayments,
  publishStatuses,
  references,
  startsClosedAfterEach,
  waitUntil,
  type ControlApp,
} from './consumer-control-app';

/** Two sources of one transport, fresh for each test: payments (controller) and statuses (provider). */
export interface ControlSources {
  readonly payments: string;
  readonly statuses: string;
  /** Module options consuming both, with `extra` merged in (consumer-level `autoStart` included). */
  options(extra?: {
    readonly module?: Partial<MessageBusModuleOptions>;
    readonly paymentsAutoStart?: boolean;
  }): MessageBusModuleOptions;
  /** The consumers' names in `statuses()`. */
  readonly paymentsConsumer: string;
  readonly statusesConsumer: string;
}

export interface ControlSetup {
  readonly transport: 'memory' | 'sqs' | 'kafka';
  sources(): Promise<ControlSources>;
  /** How long "nothing is handled" is watched for. */
  readonly quietMs: number;
  /** Most handlers of the payments consumer running at once (concurrency, or partitions). */
  readonly maxInFlight: number;
}

/**
 * The consumer-control behaviour every transport must show, run against the real broker
 * (or the in-memory bus): pause and resume lose and duplicate nothing, `autoStart: false` waits
 * for `start()`, `consume: false` publishes only, `stop(name)` stops one consumer.
 */
export function describeConsumerControl(setup: ControlSetup): void {
  const memory = setup.transport === 'memory';
  const startApp = startsClosedAfterEach();
  const start = (options: MessageBusModuleOptions): Promise<ControlApp> =>
    startApp(options, { memory });
  /** Resumes the payments consumer, then expects every one of `payments` handled exactly once. */
  const resumeAndExpectEachOnce = async (
    app: ControlApp,
    sources: ControlSources,
    payments: readonly string[],
  ): Promise<void> => {
    await app.consumers.resume(sources.paymentsConsumer);
    await untilRunning(app, sources.paymentsConsumer);
    await waitUntil(
      'every payment after resume',
      () => app.ledger.payments.length >= payments.length,
    );
    await delay(setup.quietMs);
    expect([...app.ledger.payments].sort()).toEqual([...payments].sort());
    expect(HandledLedger.duplicates(app.ledger.payments)).toEqual([]);
  };

  const stateOf = (app: ControlApp, name: string): string => app.consumers.get(name).status().state;
  // SQS checks its queue in the background: `starting` until then.
  const untilRunning = (app: ControlApp, ...names: string[]): Promise<void> =>
    waitUntil(`${names.join(', ')} running`, () =>
      names.every((name) => stateOf(app, name) === 'running'),
    );

  describe(`consumer control on ${setup.transport}`, () => {
    it('pause: nothing is handled while paused, the other consumer goes on; resume: all N handled exactly once', async () => {
      const sources = await setup.sources();
      const app = await start(sources.options());
      await untilRunning(app, sources.paymentsConsumer, sources.statusesConsumer);
      await app.consumers.pause(sources.paymentsConsumer);
      expect(stateOf(app, sources.paymentsConsumer)).toBe('paused');
      expect(stateOf(app, sources.statusesConsumer)).toBe('running');

      const payments = references('paused', 20);
      await publishPayments(app.publisher, sources.payments, payments);
      await publishStatuses(app.publisher, sources.statuses, ['while-paused']);
      await waitUntil('the running consumer to handle its event', () =>
        app.ledger.statuses.includes('while-paused'),
      );
      await delay(setup.quietMs);
      expect(app.ledger.payments).toEqual([]);
      expect(app.consumers.get(sources.paymentsConsumer).status()).toMatchObject({
        state: 'paused',
        handled: 0,
      });

      await resumeAndExpectEachOnce(app, sources, payments);
    });

    it('pause while handlers run: those running settle, the rest waits, and after resume each is handled once', async () => {
      const sources = await setup.sources();
      // Started on a backlog, so that what it fetches first is more than it can run at once.
      const app = await start(sources.options({ paymentsAutoStart: false }));
      app.ledger.handlerDelayMs = 100;
      const payments = references('busy', 30);
      await publishPayments(app.publisher, sources.payments, payments);
      await app.consumers.start(sources.paymentsConsumer);
      await waitUntil('a few payments handled', () => app.ledger.payments.length >= 2);

      const handledBeforePause = app.ledger.payments.length;
      await app.consumers.pause(sources.paymentsConsumer);
      const handledAtPause = app.ledger.payments.length;
      // Only what ran at the pause finished: nothing else started.
      expect(handledAtPause - handledBeforePause).toBeLessThanOrEqual(setup.maxInFlight);
      expect(app.consumers.get(sources.paymentsConsumer).status()).toMatchObject({
        state: 'paused',
      });
      await delay(setup.quietMs);
      expect(app.ledger.payments.length).toBe(handledAtPause);

      await resumeAndExpectEachOnce(app, sources, payments);
    });

    it('autoStart: false: declared and stopped, nothing handled, until start(name) starts it', async () => {
      const sources = await setup.sources();
      const app = await start(sources.options({ paymentsAutoStart: false }));
      await untilRunning(app, sources.statusesConsumer);
      expect(app.consumers.statuses().map(({ name, state }) => [name, state])).toEqual([
        [sources.paymentsConsumer, 'stopped'],
        [sources.statusesConsumer, 'running'],
      ]);
      const payments = references('later', 5);
      await publishPayments(app.publisher, sources.payments, payments);
      await delay(setup.quietMs);
      expect(app.ledger.payments).toEqual([]);

      await app.consumers.start(sources.paymentsConsumer);
      await untilRunning(app, sources.paymentsConsumer);
      await waitUntil('the payments published before start', () => app.ledger.payments.length >= 5);
      expect([...app.ledger.payments].sort()).toEqual([...payments].sort());
    });

    it('stop(name) stops that consumer only; the other keeps handling, and app shutdown stops the rest', async () => {
      const sources = await setup.sources();
      const app = await start(sources.options());
      await app.consumers.stop(sources.paymentsConsumer);
      expect(stateOf(app, sources.paymentsConsumer)).toBe('stopped');

      await publishPayments(app.publisher, sources.payments, ['after-stop']);
      await publishStatuses(app.publisher, sources.statuses, ['still-running']);
      await waitUntil('the other consumer to handle its event', () =>
        app.ledger.statuses.includes('still-running'),
      );
      await delay(setup.quietMs);
      expect(app.ledger.payments).toEqual([]);
      expect(stateOf(app, sources.statusesConsumer)).toBe('running');

      await app.close();
      expect(app.consumers.statuses().map(({ state }) => state)).toEqual(['stopped', 'stopped']);
    });

    it('consume: false publishes, declares its consumers stopped and refuses to start them', async () => {
      const sources = await setup.sources();
      const publisherOnly = await start(sources.options({ module: { consume: false } }));
      expect(publisherOnly.consumers.statuses().map(({ name, state }) => [name, state])).toEqual([
        [sources.paymentsConsumer, 'stopped'],
        [sources.statusesConsumer, 'stopped'],
      ]);
      await expect(publisherOnly.consumers.start(sources.paymentsConsumer)).rejects.toBeInstanceOf(
        ConsumptionDisabledError,
      );
      await expect(publisherOnly.consumers.resume(sources.statusesConsumer)).rejects.toBeInstanceOf(
        ConsumptionDisabledError,
      );

      const payments = references('published-only', 5);
      await publishPayments(publisherOnly.publisher, sources.payments, payments);
      if (memory) {
        // One process, one in-memory bus per app: nobody else can read it.
        await delay(setup.quietMs);
        expect(publisherOnly.ledger.payments).toEqual([]);
        return;
      }
      const consumerApp = await start(sources.options());
      await waitUntil(
        'the consuming app to handle what the publish-only one sent',
        () => consumerApp.ledger.payments.length >= 5,
      );
      expect([...consumerApp.ledger.payments].sort()).toEqual([...payments].sort());
      expect(publisherOnly.ledger.payments).toEqual([]);
    });
  });
}
