import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { MessageBusHealthIndicator } from 'nestjs-message-bus/health';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsClient } from '../../../lib/transports/sqs/sqs.client';
import { brokerVariable } from '../../support/broker-environment';
import { readmeExample } from '../../support/readme-examples';
import { DUMMY_CREDENTIALS } from '../sqs/sqs-test-kit';
import { DisposableBroker } from './disposable-broker';
import { eventually } from './health-test-kit';

/**
 * The README's health controller, as written, in a Nest HTTP app on the real brokers: its SQS
 * broker is an ElasticMQ of this suite's own, which the test stops. Readiness then answers 503
 * naming the queue, while liveness stays 200 (a broker away is no reason to restart the pod).
 */

interface HttpAnswer {
  readonly status: number;
  readonly body: HealthCheckResult;
}

describe('the README health controller over HTTP, with an SQS broker that stops', () => {
  let broker: (DisposableBroker & { readonly queueUrl: string }) | undefined;
  let app: INestApplication | undefined;
  let base = '';

  const get = async (path: string): Promise<HttpAnswer> => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json()) as HealthCheckResult };
  };

  beforeAll(async () => {
    broker = await DisposableBroker.elasticMq();
    const sqs = new SqsClient({
      queueUrl: broker.queueUrl,
      region: 'eu-west-1',
      credentials: DUMMY_CREDENTIALS,
    });
    await sqs.createQueue('payments');
    await sqs.close();
    // What the example reads from its environment, as a deployment would set it.
    process.env.SQS_QUEUE_URL = broker.queueUrl;
    process.env.AWS_REGION = 'eu-west-1';
    process.env.AWS_ACCESS_KEY_ID = DUMMY_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = DUMMY_CREDENTIALS.secretAccessKey;
    process.env.KAFKA_BOOTSTRAP_SERVERS = brokerVariable('KAFKA_BOOTSTRAP_SERVERS');
    process.env.KAFKA_API_PROTOCOL = 'PLAINTEXT';
    const { AppModule } = (await import(readmeExample('health'))) as {
      AppModule: new () => unknown;
    };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await app?.close();
    await broker?.dispose();
  });

  it('answers 200 on both while all is up; once SQS stops, 503 on ready naming the queue and 200 on live', async () => {
    const up = await eventually(
      () => get('/health/ready'),
      (answer) => expect(answer.status).toBe(200),
    );
    expect(up.body.details['message-bus']).toMatchObject({
      status: 'up',
      consumers: { 'sqs:payments': { state: 'running', inFlight: 0 } },
      brokers: { 'sqs:payments': { status: 'up' }, kafka: { status: 'up' } },
    });
    expect(await get('/health/live')).toMatchObject({ status: 200, body: { status: 'ok' } });

    await broker!.stop();

    const down = await eventually(
      () => get('/health/ready'),
      (answer) => expect(answer.status).toBe(503),
    );
    expect(down.body.status).toBe('error');
    expect(down.body.error?.['message-bus']).toMatchObject({
      status: 'down',
      brokers: {
        'sqs:payments': { status: 'down', queue: 'payments', error: expect.any(String) },
        kafka: { status: 'up' },
      },
      message: expect.stringContaining('sqs:payments is unreachable'),
    });
    const live = await get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body.details['message-bus']).toMatchObject({
      status: 'up',
      consumers: { 'sqs:payments': { state: expect.stringMatching(/^(running|reconnecting)$/) } },
    });

    // The same through terminus' HealthCheckService itself, as any other controller would call it.
    const health = app!.get(HealthCheckService);
    const indicator = app!.get(MessageBusHealthIndicator);
    await expect(health.check([() => indicator.isAlive()])).resolves.toMatchObject({
      status: 'ok',
    });
    await expect(health.check([() => indicator.isReady()])).rejects.toMatchObject({
      response: { status: 'error', error: { 'message-bus': { status: 'down' } } },
    });
  });
});
