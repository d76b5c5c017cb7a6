import type { DynamicModule } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { ConsumerOrchestrator, MessageBusMessage, MessageBusModule } from 'nestjs-message-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaClient } from '../../../lib/transports/kafka/kafka.client';
import type { SqsClient } from '../../../lib/transports/sqs/sqs.client';
import { sqsEndpoint } from '../../support/broker-environment';
import {
  enhancerMatrix,
  MATRIX_HOSTS,
  type EnhancerMatrix,
  type MatrixHost,
} from '../../support/enhancer-matrix';
import { ACCOUNT_ID, DUMMY_CREDENTIALS } from '../sqs/sqs-test-kit';
import {
  createTopics,
  kafkaOptions,
  readRecords,
  SERVICE_TOKEN as KAFKA_SERVICE_TOKEN,
  uniqueName,
} from './kafka/kafka-runtime-kit';
import {
  attribute,
  createQueue,
  drainQueue,
  integrationClient,
  queueDepth,
  SERVICE_TOKEN as SQS_SERVICE_TOKEN,
  waitFor,
} from './sqs/sqs-consumer-kit';

/**
 * The enhancer matrix (guard, interceptor, pipe, filter on a controller and on a provider, on
 * the method and on the class) on real brokers, through MessageBusModule's own consumers: per
 * host, one allowed message, one the guard refuses (forged token) and one whose error the
 * filter swallows (reference `dup-...`).
 */
interface Sent {
  readonly host: MatrixHost;
  readonly reference: string;
  readonly message: MessageBusMessage;
}

function messagesFor(matrix: EnhancerMatrix): Sent[] {
  return MATRIX_HOSTS.flatMap((host) => {
    const suffix = host.toLowerCase();
    return [
      { host, reference: `ok-${suffix}`, message: matrix.messageFor(host, `ok-${suffix}`) },
      {
        host,
        reference: `forbidden-${suffix}`,
        message: matrix.messageFor(host, `forbidden-${suffix}`, 'forged.token'),
      },
      { host, reference: `dup-${suffix}`, message: matrix.messageFor(host, `dup-${suffix}`) },
    ];
  });
}

function referenceOf(body: string): string {
  return (JSON.parse(body) as { payload: { reference: string } }).payload.reference;
}

/** A Nest app with the matrix's hosts and the given bus module; `init()` has run. */
async function startMatrixApp(matrix: EnhancerMatrix, bus: DynamicModule): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [bus],
    controllers: matrix.controllers,
    providers: matrix.providers,
  }).compile();
  await app.init();
  return app;
}

function totals(app: TestingModule): { handled: number; deadLettered: number } {
  const statuses = app.get(ConsumerOrchestrator).statuses();
  return {
    handled: statuses.reduce((sum, status) => sum + status.handled, 0),
    deadLettered: statuses.reduce((sum, status) => sum + status.deadLettered, 0),
  };
}

/** Waits until every sent message is settled; per host, the refused one is dead-lettered. */
async function expectAllSettled(app: TestingModule, sent: number): Promise<void> {
  await waitFor(
    `all ${sent} messages settled`,
    () => totals(app).handled + totals(app).deadLettered >= sent,
    30_000,
  );
  expect(totals(app)).toEqual({
    handled: sent - MATRIX_HOSTS.length,
    deadLettered: MATRIX_HOSTS.length,
  });
}

/** What every host's enhancers did, the same on both transports. */
function expectEnhancersApplied(matrix: EnhancerMatrix): void {
  const count = (line: string): number => matrix.seen.filter((seen) => seen === line).length;
  for (const host of MATRIX_HOSTS) {
    const suffix = host.toLowerCase();
    const source = matrix.sourceOf(host);
    // The pipe upper-cased the reference; the interceptor ran around the allowed handler.
    expect(matrix.seen, host).toContain(`handler:${host}:OK-${suffix.toUpperCase()}:${source}`);
    expect(matrix.seen, host).toContain(`handler:${host}:DUP-${suffix.toUpperCase()}:${source}`);
    expect(count(`interceptor:before:${host}`), host).toBeGreaterThanOrEqual(2);
    expect(count(`interceptor:after:${host}`), host).toBeGreaterThanOrEqual(1);
    expect(count(`guard:${host}`), host).toBeGreaterThanOrEqual(3);
    // The guard's refusal kept the handler from running.
    expect(
      matrix.seen.filter((line) => line.startsWith(`handler:${host}:FORBIDDEN`)),
      host,
    ).toEqual([]);
  }
  expect(count('filter:rpc')).toBeGreaterThanOrEqual(MATRIX_HOSTS.length);
}

describe('Nest enhancers on bus handlers, on real SQS (ElasticMQ)', () => {
  let client: SqsClient;
  let app: TestingModule;
  let matrix: EnhancerMatrix;
  let first: string;
  let second: string;
  let deadLetterQueue: string;

  beforeAll(async () => {
    client = integrationClient();
    [first, second, deadLetterQueue] = await Promise.all([
      createQueue(client, 'enh-first'),
      createQueue(client, 'enh-second'),
      createQueue(client, 'enh-dlq'),
    ]);
    matrix = enhancerMatrix({ first, second, serviceToken: SQS_SERVICE_TOKEN });
    const consumer = { deadLetterQueue, waitTimeSeconds: 1, visibilityTimeout: 5 };
    app = await startMatrixApp(
      matrix,
      MessageBusModule.forRoot({
        transport: 'sqs',
        sqs: {
          queueUrl: `${sqsEndpoint()}/${ACCOUNT_ID}`,
          region: 'eu-west-1',
          credentials: DUMMY_CREDENTIALS,
        },
        consumers: {
          sqs: [
            { queue: first, ...consumer },
            { queue: second, ...consumer },
          ],
        },
      }),
    );
  });
  afterAll(async () => {
    await app?.close();
    await client?.close();
  });

  it('dead-letters what a guard refuses as forbidden, handles the rest through pipe, interceptor and filter', async () => {
    const sent = messagesFor(matrix);
    for (const source of [first, second]) {
      const batch = sent.filter(({ host }) => matrix.sourceOf(host) === source);
      await client.sendMessages(
        batch.map(({ message }) => message),
        source,
      );
    }

    await expectAllSettled(app, sent.length);
    const letters = await drainQueue(client, deadLetterQueue, 4);

    expect(
      letters
        .map((letter) => [referenceOf(letter.rawBody), attribute(letter, 'bus-source-queue')])
        .sort(),
    ).toEqual(
      sent
        .filter(({ reference }) => reference.startsWith('forbidden-'))
        .map(({ host, reference }) => [reference, matrix.sourceOf(host)])
        .sort(),
    );
    for (const letter of letters) expect(attribute(letter, 'bus-reason')).toMatch(/^forbidden/);
    expectEnhancersApplied(matrix);
    // Allowed and filtered messages were acknowledged: nothing is left on either queue.
    for (const queue of [first, second]) {
      await waitFor(`${queue} to empty`, async () => {
        const depth = await queueDepth(client, queue);
        return depth.visible === 0 && depth.inFlight === 0;
      });
    }
  });
});

describe('Nest enhancers on bus handlers, on real Kafka', () => {
  const first = uniqueName('enh-first');
  const second = uniqueName('enh-second');
  let app: TestingModule;
  let matrix: EnhancerMatrix;

  beforeAll(async () => {
    await Promise.all([createTopics(first, 1), createTopics(second, 1)]);
    matrix = enhancerMatrix({ first, second, serviceToken: KAFKA_SERVICE_TOKEN });
    app = await startMatrixApp(
      matrix,
      MessageBusModule.forRoot({
        transport: 'kafka',
        kafka: kafkaOptions(),
        consumers: {
          kafka: [
            { topic: first, groupId: uniqueName('enh-first-group') },
            { topic: second, groupId: uniqueName('enh-second-group') },
          ],
        },
        shutdownTimeoutMs: 10_000,
      }),
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  it('dead-letters what a guard refuses as forbidden, handles the rest through pipe, interceptor and filter', async () => {
    const sent = messagesFor(matrix);
    const producer = new KafkaClient(kafkaOptions());
    try {
      for (const topic of [first, second]) {
        const batch = sent.filter(({ host }) => matrix.sourceOf(host) === topic);
        await producer.sendMessages(
          batch.map(({ message, reference }) => ({ message, key: reference })),
          topic,
        );
      }
    } finally {
      await producer.close();
    }

    await expectAllSettled(app, sent.length);
    const letters = [
      ...(await readRecords(`${first}.dlq`, 2)),
      ...(await readRecords(`${second}.dlq`, 2)),
    ];

    expect(
      letters.map((letter) => [letter.key, letter.headers['bus-original-topic']]).sort(),
    ).toEqual(
      sent
        .filter(({ reference }) => reference.startsWith('forbidden-'))
        .map(({ host, reference }) => [reference, matrix.sourceOf(host)])
        .sort(),
    );
    for (const letter of letters) expect(letter.headers['bus-reason']).toMatch(/^forbidden/);
    expectEnhancersApplied(matrix);
  });
});
