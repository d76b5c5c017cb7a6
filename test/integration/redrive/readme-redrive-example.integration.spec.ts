import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SqsClient } from '../../../lib/transports/sqs/sqs.client';
import { readmeExample } from '../../support/readme-examples';
import { createQueue, drainQueue, queueDepth } from '../runtime/sqs/sqs-consumer-kit';
import { integrationClient } from '../sqs/sqs-test-kit';
import { payment, statusEvent } from './redrive-kit';

/** A dead letter as SqsConsumer writes it, from `sourceQueue`. */
async function deadLetter(
  client: SqsClient,
  deadLetterQueue: string,
  sourceQueue: string,
  body: string,
): Promise<void> {
  const text = (value: string) => ({ DataType: 'String', StringValue: value });
  await client.sendRawMessage(body, deadLetterQueue, {
    messageAttributes: {
      'bus-reason': text('handler-error: Error: ledger refused it'),
      'bus-source-queue': text(sourceQueue),
      'bus-attempts': { DataType: 'Number', StringValue: '3' },
      'bus-failed-at': text(new Date().toISOString()),
    },
  });
}

describe('README "Dead-letter redrive": the API example runs as written on ElasticMQ', () => {
  let client: SqsClient;

  beforeAll(() => {
    client = integrationClient();
  });
  afterAll(async () => {
    await client.close();
  });

  it('redrives the PAYMENT dead letters to their queue and leaves the others', async () => {
    const sourceQueue = await createQueue(client, 'rd-readme');
    const deadLetterQueue = await createQueue(client, 'rd-readme-dlq');
    const paymentBody = payment('R-1').serialize();
    await deadLetter(client, deadLetterQueue, sourceQueue, paymentBody);
    await deadLetter(client, deadLetterQueue, sourceQueue, statusEvent('R-2').serialize());
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);

    const { redriveFailedPayments } = (await import(readmeExample('redrive-api'))) as {
      redriveFailedPayments: (client: SqsClient, queue: string) => Promise<unknown>;
    };
    const summary = await redriveFailedPayments(client, deadLetterQueue);

    expect(log).toHaveBeenCalledTimes(2);
    log.mockRestore();
    expect(summary).toMatchObject({ redriven: 1, skipped: 1, failed: 0, interrupted: false });
    const [copy] = await drainQueue(client, sourceQueue, 1);
    expect(copy.rawBody).toBe(paymentBody);
    expect(Object.keys(copy.messageAttributes)).toEqual([]);
    expect(await queueDepth(client, deadLetterQueue)).toEqual({ visible: 1, inFlight: 0 });
  });
});
