import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { brokerVariable, uniqueName } from '../../support/broker-environment';
import { createTopics } from '../runtime/kafka/kafka-runtime-kit';
import { DUMMY_CREDENTIALS, emulatorSqsOptions, integrationClient } from '../sqs/sqs-test-kit';
import { freePort } from './disposable-broker';
import { eventually, startHealthApp, type HealthApp } from './health-test-kit';

/**
 * MessageBusHealthIndicator under a real terminus HealthCheckService, against the real
 * brokers: liveness fails only for a failed consumer, readiness also for an unreachable
 * broker, and every consumer and broker is named in the details.
 */

const apps: HealthApp[] = [];

async function start(...args: Parameters<typeof startHealthApp>): Promise<HealthApp> {
  const app = await startHealthApp(...args);
  apps.push(app);
  return app;
}

afterEach(async () => {
  await Promise.all(apps.splice(0).map(({ app }) => app.close()));
});

describe('MessageBusHealthIndicator on the real brokers', () => {
  it('is alive and ready, naming each consumer and broker, when everything is up', async () => {
    const queue = uniqueName('health-up');
    const topic = uniqueName('health-up');
    const sqs = integrationClient();
    await sqs.createQueue(queue);
    await createTopics(topic, 1);
    const bootstrapServers = brokerVariable('KAFKA_BOOTSTRAP_SERVERS');
    const { indicator, check } = await start({
      transport: 'sqs',
      sqs: emulatorSqsOptions(),
      kafka: { bootstrapServers, securityProtocol: 'PLAINTEXT' },
      consumers: { sqs: [{ queue, waitTimeSeconds: 1 }], kafka: [{ topic }] },
    });

    const { result } = await eventually(
      () =>
        check(
          () => indicator.isAlive('bus-live'),
          () => indicator.isReady('bus-ready'),
        ),
      (outcome) => expect(outcome.httpStatus).toBe(200),
    );

    expect(result.status).toBe('ok');
    const consumers = {
      [`sqs:${queue}`]: { state: 'running', inFlight: 0 },
      [`kafka:${topic} (${topic}_consumer_group)`]: { state: 'running', inFlight: 0 },
    };
    expect(result.details['bus-live']).toEqual({ status: 'up', consumers });
    expect(result.details['bus-ready']).toEqual({
      status: 'up',
      consumers,
      brokers: {
        [`sqs:${queue}`]: { status: 'up', queue },
        kafka: {
          status: 'up',
          bootstrapServers: [bootstrapServers],
          brokers: 1,
          clusterId: expect.any(String),
        },
      },
    });
    await sqs.deleteQueue(queue);
    await sqs.close();
  });

  it('fails liveness (and readiness) for a consumer that failed for good, naming it and why', async () => {
    const queue = uniqueName('health-failed');
    const sqs = integrationClient();
    await sqs.createQueue(queue);
    const { indicator, check } = await start({
      sqs: emulatorSqsOptions(),
      consumers: { sqs: [{ queue, waitTimeSeconds: 1 }] },
    });
    await eventually(
      () => check(() => indicator.isAlive()),
      (outcome) => expect(outcome.httpStatus).toBe(200),
    );

    // A deleted queue is a failure no retry mends: the consumer ends up `failed`.
    await sqs.deleteQueue(queue);
    await sqs.close();
    const live = await eventually(
      () => check(() => indicator.isAlive()),
      (outcome) => expect(outcome.httpStatus).toBe(503),
    );

    expect(live.result.status).toBe('error');
    expect(live.result.details['message-bus']).toMatchObject({
      status: 'down',
      consumers: {
        [`sqs:${queue}`]: {
          state: 'failed',
          inFlight: 0,
          lastError: expect.stringMatching(/QueueDoesNotExist/),
        },
      },
      message: expect.stringMatching(new RegExp(`^sqs:${queue} is failed \\(.*QueueDoesNotExist`)),
    });
    const ready = await check(() => indicator.isReady());
    expect(ready.httpStatus).toBe(503);
    expect(ready.result.details['message-bus']).toMatchObject({
      status: 'down',
      brokers: {
        [`sqs:${queue}`]: { status: 'down', error: expect.stringMatching(/QueueDoesNotExist/) },
      },
    });
  });

  it('fails readiness, not liveness, while Kafka is unreachable, without a credential in the details', async () => {
    const closedPort = await freePort();
    const password = 'health-kafka-secret';
    const { indicator, check } = await start({
      transport: 'sqs',
      sqs: emulatorSqsOptions(),
      kafka: {
        bootstrapServers: `127.0.0.1:${closedPort}`,
        securityProtocol: 'SASL_PLAINTEXT',
        saslMechanism: 'SCRAM-SHA-512',
        userName: 'health-user',
        password,
        logLevel: 'nothing',
      },
    });

    const live = await check(() => indicator.isAlive());
    const started = Date.now();
    const ready = await check(() => indicator.isReady());

    expect(live).toMatchObject({ httpStatus: 200, result: { status: 'ok' } });
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(ready.httpStatus).toBe(503);
    expect(ready.result.details['message-bus']).toEqual({
      status: 'down',
      consumers: {},
      brokers: {
        kafka: {
          status: 'down',
          bootstrapServers: [`127.0.0.1:${closedPort}`],
          error: expect.stringMatching(
            new RegExp(`^KafkaConnectionError: .*127\\.0\\.0\\.1:${closedPort}`),
          ),
        },
      },
      message: expect.stringMatching(/^kafka is unreachable \(KafkaConnectionError/),
    });
    const everything = JSON.stringify([live, ready]);
    expect(everything).not.toContain(password);
  });

  it('calls a broker that never answers unreachable once the timeout has passed', async () => {
    // Accepts connections and never says a word: a black-holed endpoint.
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      // Reads (and drops) the request, so that the client hanging up is seen.
      socket.resume();
    });
    const port = await freePort();
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    try {
      const { indicator, check } = await start({
        sqs: {
          queueUrl: `http://127.0.0.1:${port}/000000000000`,
          region: 'eu-west-1',
          credentials: DUMMY_CREDENTIALS,
        },
      });

      const started = Date.now();
      const ready = await check(() =>
        indicator.isReady('message-bus', { timeoutMs: 300, queues: ['orders'] }),
      );
      const took = Date.now() - started;

      expect(ready.httpStatus).toBe(503);
      expect(took).toBeGreaterThanOrEqual(290);
      expect(took).toBeLessThan(1_500);
      expect(ready.result.details['message-bus']).toMatchObject({
        brokers: {
          'sqs:orders': { status: 'down', queue: 'orders', error: 'did not answer within 300 ms' },
        },
      });
      expect(JSON.stringify(ready)).not.toContain(DUMMY_CREDENTIALS.secretAccessKey + '"');
      // The aborted request let go of its connection.
      await eventually(
        async () => sockets.filter((socket) => !socket.destroyed).length,
        (open) => expect(open).toBe(0),
        5_000,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    }
  });

  it('refuses a readiness option it does not know, naming it', async () => {
    const { indicator } = await start({ sqs: emulatorSqsOptions() });
    await expect(indicator.isReady('message-bus', { timeout: 5 } as never)).rejects.toThrow(
      /isReady\(\) options\.timeout is not an option \(did you mean timeoutMs\?\)/,
    );
    await expect(indicator.isReady('message-bus', { timeoutMs: 0 })).rejects.toThrow(
      /options\.timeoutMs must be a whole number from 1 to 60000/,
    );
  });
});
