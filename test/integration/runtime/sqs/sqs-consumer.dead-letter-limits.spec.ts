import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { FAILURE_TEXT_MAX_BYTES } from '../../../../lib/errors/bounded-failure-text';
import type { SqsReceivedMessage } from '../../../../lib/transports/sqs/sqs-received-message.interface';
import { sqsEndpoint } from '../../../support/broker-environment';
import { CapturedLogger } from '../../../support/captured-logger';
import { longKeyEnvelope, paddedInvalidEnvelope } from '../../../support/poison-messages';
import { ACCOUNT_ID, DUMMY_CREDENTIALS } from '../../sqs/sqs-test-kit';
import {
  attribute,
  createQueue,
  drainQueue,
  PAYER_NAME,
  payment,
  queueDepth,
  sendRaw,
  SERVICE_TOKEN,
  startConsumerApp,
  useConsumerSuite,
  waitFor,
} from './sqs-consumer-kit';

/**
 * Dead letters near the queue's size limit, and failure text as long as the message, on
 * ElasticMQ (this suite is in runtime/, which the moto project does not run).
 *
 * ElasticMQ 1.7.1's limit, measured: a body of 1,048,576 bytes is accepted and one byte more
 * is refused (`MessageTooLong`), on every queue: it ignores a queue's `MaximumMessageSize`
 * (accepted at creation, never reported by GetQueueAttributes, not enforced), and it does not
 * count message attributes against the limit. AWS counts them (body plus each attribute's name,
 * type and value; 1 MiB by default since August 2025), and so does the dead-letter publisher
 * when it trims them: this suite checks that accounting on what actually arrived, since
 * ElasticMQ itself would accept a dead letter that AWS refuses.
 */
const LIMIT = 1_048_576;
/** Room a log line has beside its reason: the delivery's coordinates and the advice. */
const LINE_OVERHEAD_BYTES = 1_024;
/** All bus-* attributes, the reason at its cap: the room a body must leave for the whole dead letter. */
const FULL_ATTRIBUTES_BYTES = FAILURE_TEXT_MAX_BYTES + 512;

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/** What SQS counts against the size limit: the body, and each attribute's name, type and value. */
function countedBytes(message: SqsReceivedMessage): number {
  return Object.entries(message.messageAttributes).reduce(
    (total, [name, value]) =>
      total +
      bytes(name) +
      bytes(value.dataType) +
      (value.stringValue !== undefined ? bytes(value.stringValue) : 0) +
      (value.binaryValue?.length ?? 0),
    bytes(message.rawBody),
  );
}

/** Sends a body to a queue with the SDK itself; resolves with the error name SQS answered, if any. */
async function refusal(queue: string, body: string): Promise<string | undefined> {
  const sdk = new SQSClient({
    region: 'eu-west-1',
    endpoint: sqsEndpoint(),
    credentials: DUMMY_CREDENTIALS,
  });
  try {
    await sdk.send(
      new SendMessageCommand({
        QueueUrl: `${sqsEndpoint()}/${ACCOUNT_ID}/${queue}`,
        MessageBody: body,
      }),
    );
    return undefined;
  } catch (error) {
    return (error as Error).name;
  } finally {
    sdk.destroy();
  }
}

describe('SqsConsumer: dead letters near the size limit, and bounded failure text, on ElasticMQ', () => {
  const suite = useConsumerSuite();

  it(`refuses a body over ${LIMIT} bytes (the limit this suite works to)`, async () => {
    const queue = await createQueue(suite.client, 'dl-limit-probe');
    expect(await refusal(queue, 'x'.repeat(LIMIT + 1))).toBe('InvalidAttributeValue');
    expect(await queueDepth(suite.client, queue)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('dead-letters near-limit and long-key poison byte for byte with a bounded reason, then handles what follows', async () => {
    const queue = await createQueue(suite.client, 'dl-limit');
    const deadLetterQueue = await createQueue(suite.client, 'dl-limit-dlq');
    // 8 bytes under the limit: no room is left for any attribute as SQS counts them.
    const atLimit = paddedInvalidEnvelope(LIMIT - 8, 'at-limit', SERVICE_TOKEN);
    // The largest body that leaves room for every bus-* attribute, the reason at its cap.
    const besideAttributes = paddedInvalidEnvelope(
      LIMIT - FULL_ATTRIBUTES_BYTES,
      'beside-attributes',
      SERVICE_TOKEN,
    );
    const longKey = longKeyEnvelope(600_000, SERVICE_TOKEN);
    for (const body of [atLimit, besideAttributes, longKey]) await sendRaw(queue, body);

    const calls: string[] = [];
    const logger = new CapturedLogger();
    const app = await startConsumerApp({
      behaviour: (payload) => void calls.push(payload.reference),
      consumers: [{ queue, deadLetterQueue, waitTimeSeconds: 1, visibilityTimeout: 10 }],
      logger,
    });
    suite.apps.push(app);
    await waitFor('3 dead letters', () => app.status()[0].deadLettered === 3, 30_000);
    await sendRaw(queue, payment('ok-after-limit').serialize());
    await waitFor('the valid message after them', () => calls.includes('ok-after-limit'));

    const letters = await drainQueue(suite.client, deadLetterQueue, 3);
    expect(letters).toHaveLength(3);
    const letterFor = (body: string): SqsReceivedMessage => {
      const letter = letters.find((one) => one.rawBody === body);
      expect(letter, `the dead letter of a ${bytes(body)}-byte body`).toBeDefined();
      return letter as SqsReceivedMessage;
    };
    // Each body arrived exactly as sent, and each dead letter fits the limit as SQS counts it.
    for (const letter of letters) {
      expect(countedBytes(letter)).toBeLessThanOrEqual(LIMIT);
      const reason = attribute(letter, 'bus-reason');
      if (reason !== undefined) expect(bytes(reason)).toBeLessThanOrEqual(FAILURE_TEXT_MAX_BYTES);
    }

    // No room beside the body: the attributes give way, never the body.
    expect(letterFor(atLimit).messageAttributes).toEqual({});
    const full = letterFor(besideAttributes);
    expect(attribute(full, 'bus-reason')).toMatch(/^invalid-message: .*payload\.currency/);
    expect(attribute(full, 'bus-source-queue')).toBe(queue);
    const poisoned = letterFor(longKey);
    expect(attribute(poisoned, 'bus-reason')).toMatch(
      /^invalid-message: .*is nested more than 32 levels deep/,
    );
    expect(attribute(poisoned, 'bus-source-queue')).toBe(queue);

    await waitFor('the source queue to empty', async () => {
      const depth = await queueDepth(suite.client, queue);
      return depth.visible === 0 && depth.inFlight === 0;
    });
    expect(app.status()[0]).toMatchObject({ state: 'running', handled: 1, deadLettered: 3 });
    // The log still says why, where the attribute could not.
    expect(logger.containing('Dead-lettered')).toHaveLength(3);
    expectShortLogLines(logger);
  });

  it('bounds a handler error as long as the message, in its retry and dead-letter lines and in bus-reason', async () => {
    const queue = await createQueue(suite.client, 'dl-loud');
    const deadLetterQueue = await createQueue(suite.client, 'dl-loud-dlq');
    const logger = new CapturedLogger();
    const app = await startConsumerApp({
      behaviour: (payload) => {
        if (payload.reference === 'LOUD') throw new Error(`ledger said ${'no '.repeat(200_000)}`);
      },
      consumers: [
        {
          queue,
          deadLetterQueue,
          retry: { maxAttempts: 2, initialDelayMs: 100, maxDelayMs: 500 },
          waitTimeSeconds: 1,
          visibilityTimeout: 10,
        },
      ],
      logger,
    });
    suite.apps.push(app);
    await sendRaw(queue, payment('LOUD').serialize());
    await waitFor('the dead letter', () => app.status()[0].deadLettered === 1, 30_000);

    const [letter] = await drainQueue(suite.client, deadLetterQueue, 1);
    const reason = attribute(letter, 'bus-reason') as string;
    expect(reason).toMatch(/^handler-error: Error: ledger said no no /);
    expect(bytes(reason)).toBeLessThanOrEqual(FAILURE_TEXT_MAX_BYTES);
    expect(logger.containing('Retrying')).toHaveLength(1);
    expect(logger.containing('Dead-lettered')).toHaveLength(1);
    expectShortLogLines(logger);
  });
});

function expectShortLogLines(logger: CapturedLogger): void {
  const longest = Math.max(...logger.lines.map((line) => bytes(line.text)));
  expect(longest).toBeLessThan(FAILURE_TEXT_MAX_BYTES + LINE_OVERHEAD_BYTES);
  const all = logger.lines.map((line) => line.text).join('\n');
  expect(all).not.toContain(SERVICE_TOKEN);
  expect(all).not.toContain(PAYER_NAME);
}
