import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisposableBroker } from './disposable-broker';
import { eventually, startHealthApp, type HealthApp } from './health-test-kit';

/**
 * Readiness against a Kafka of this suite's own, which the test stops: down naming the
 * cluster's bootstrap servers, within the timeout, while liveness stays up.
 */
describe('MessageBusHealthIndicator with a Kafka broker that stops', () => {
  let broker: (DisposableBroker & { readonly bootstrapServers: string }) | undefined;
  let health: HealthApp | undefined;

  beforeAll(async () => {
    broker = await DisposableBroker.kafka();
    health = await startHealthApp({
      kafka: { bootstrapServers: broker.bootstrapServers, securityProtocol: 'PLAINTEXT' },
    });
  });

  afterAll(async () => {
    await health?.app.close();
    await broker?.dispose();
  });

  it('is ready while Kafka answers, and not ready (but alive) once it is stopped', async () => {
    const { indicator, check } = health!;
    const bootstrapServers = [broker!.bootstrapServers];
    const up = await eventually(
      () => check(() => indicator.isReady('message-bus', { timeoutMs: 1_000 })),
      (outcome) => expect(outcome.httpStatus).toBe(200),
    );
    expect(up.result.details['message-bus']).toEqual({
      status: 'up',
      consumers: {},
      brokers: {
        kafka: { status: 'up', bootstrapServers, brokers: 1, clusterId: expect.any(String) },
      },
    });

    await broker!.stop();

    const started = Date.now();
    const down = await check(() => indicator.isReady('message-bus', { timeoutMs: 1_000 }));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(down.httpStatus).toBe(503);
    expect(down.result.details['message-bus']).toEqual({
      status: 'down',
      consumers: {},
      brokers: { kafka: { status: 'down', bootstrapServers, error: expect.any(String) } },
      message: expect.stringMatching(/^kafka is unreachable \(/),
    });
    expect(await check(() => indicator.isAlive())).toMatchObject({
      httpStatus: 200,
      result: { status: 'ok' },
    });
  });
});
