import { Test, type TestingModule } from '@nestjs/testing';
import { ConsumerOrchestrator, MessageBusModule } from 'nestjs-message-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rustMessage } from '../../support/rust-samples';
import { boto3Peer, emulatorSqsOptions } from '../sqs/sqs-test-kit';
import {
  expectedFromRust,
  HANDLED,
  PAYMENT_REQUIRED_FIELDS,
  PEER_HANDLERS,
  PYTHON_CASES,
  PYTHON_INVALID_PAYMENT,
  RUST_RELAY_INITIATED,
  sortedHandled,
} from './peer-dialects-kit';
import {
  attribute,
  createQueue,
  drainQueue,
  integrationClient,
  queueDepth,
  waitFor,
} from './sqs/sqs-consumer-kit';

interface Sent {
  message_id: string;
  body: string;
}

const rustRelayBody = rustMessage('event', 'RELAY_INITIATED', RUST_RELAY_INITIATED.rust);
const total = PYTHON_CASES.length + 2;

describe('a Nest consumer on a queue boto3 writes to in both peers’ dialects', () => {
  const client = integrationClient();
  let app: TestingModule;
  let queue: string;
  let deadLetterQueue: string;
  let pythonSent: Sent[];
  let rustSent: Sent;

  const status = () => app.get(ConsumerOrchestrator).statuses()[0];

  beforeAll(async () => {
    HANDLED.length = 0;
    queue = await createQueue(client, 'peer-dialects');
    deadLetterQueue = await createQueue(client, 'peer-dialects-dlq');
    app = await Test.createTestingModule({
      imports: [
        MessageBusModule.forRoot({
          transport: 'sqs',
          sqs: emulatorSqsOptions(),
          consumers: {
            sqs: [
              {
                queue,
                deadLetterQueue,
                waitTimeSeconds: 1,
                visibilityTimeout: 5,
                retry: { maxAttempts: 2, initialDelayMs: 100 },
              },
            ],
          },
        }),
      ],
      controllers: [PEER_HANDLERS[0]],
      providers: [PEER_HANDLERS[1]],
    }).compile();
    await app.init();

    const queueUrl = client.resolveQueueUrl(queue);
    const messages = [...PYTHON_CASES.map((entry) => entry.message), PYTHON_INVALID_PAYMENT];
    ({ sent: pythonSent } = await boto3Peer<{ sent: Sent[] }>(
      'send-all',
      queueUrl,
      JSON.stringify(messages),
    ));
    // The Rust client's text, byte for byte, put on the queue by boto3 as it is.
    rustSent = await boto3Peer<Sent>('send-raw', queueUrl, rustRelayBody);

    // Every message settled, one way or the other; what each became is asserted below.
    await waitFor(
      `${total} messages settled`,
      () => status().handled + status().deadLettered >= total,
      30_000,
    );
  });

  afterAll(async () => {
    await app?.close();
    await client.close();
  });

  it('reads the Python client’s tolerant-reader cases and both RELAY_INITIATED shapes, saying which', () => {
    expect(rustSent.body).toBe(rustRelayBody);
    expect(pythonSent[0].body).toContain('"payer_name": "", "currency": "EUR"');
    expect(sortedHandled(HANDLED)).toEqual(
      sortedHandled([
        ...PYTHON_CASES.map((entry) => entry.expected),
        expectedFromRust(RUST_RELAY_INITIATED),
      ]),
    );
    expect(HANDLED.filter((call) => call.type === 'RELAY_INITIATED').map((c) => c.dialect)).toEqual(
      expect.arrayContaining(['python', 'rust']),
    );
  });

  it('dead-letters only the PAYMENT with no payload, naming each missing field, and empties the queue', async () => {
    expect(status()).toMatchObject({ handled: total - 1, deadLettered: 1, retried: 0 });
    const letters = await drainQueue(client, deadLetterQueue, 1);
    expect(letters).toHaveLength(1);
    const [letter] = letters;
    expect(letter.rawBody).toBe(pythonSent[pythonSent.length - 1].body);
    expect(attribute(letter, 'bus-original-message-id')).toBe(
      pythonSent[pythonSent.length - 1].message_id,
    );
    const reason = attribute(letter, 'bus-reason') as string;
    expect(reason).toMatch(/^invalid-message: /);
    for (const field of PAYMENT_REQUIRED_FIELDS) expect(reason).toContain(field);

    await waitFor('the queue to empty', async () => {
      const depth = await queueDepth(client, queue);
      return depth.visible === 0 && depth.inFlight === 0;
    });
  });
});
