import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { paymentEnvelopeText } from '../payment-envelope';
import type { BenchRunClock } from '../run-clock';

export const SQS_REGION = 'eu-west-1';
export const SQS_CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

export function benchSqsClient(endpoint: string): SQSClient {
  return new SQSClient({ region: SQS_REGION, endpoint, credentials: SQS_CREDENTIALS });
}

/** A fresh queue holding `count` PAYMENT envelopes; returns its URL. Filled in batches of 10, 8 at a time. */
export async function createFilledQueue(
  sqs: SQSClient,
  name: string,
  count: number,
): Promise<string> {
  const created = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '60' } }),
  );
  const queueUrl = created.QueueUrl!;
  let next = 0;
  const filler = async (): Promise<void> => {
    while (next < count) {
      const start = next;
      next = Math.min(count, next + 10);
      const entries = [];
      for (let index = start; index < next; index += 1)
        entries.push({ Id: String(index - start), MessageBody: paymentEnvelopeText(index) });
      const sent = await sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
      );
      if ((sent.Failed ?? []).length > 0)
        throw new Error(`filling ${name}: ${sent.Failed?.length} sends failed`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, filler));
  return queueUrl;
}

export async function deleteQueue(sqs: SQSClient, queueUrl: string): Promise<void> {
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
}

/** Visible plus in-flight messages: 0 once every delete was acknowledged. */
export async function messagesLeft(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes: attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(attributes.ApproximateNumberOfMessages ?? 0) +
    Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
}

/**
 * The SQS finish line, the same for every contender: once its handler saw every message,
 * asks the queue every 5 ms until it holds none (every delete acknowledged), then stops the
 * clock. Bounded by the clock's cap.
 */
export async function stopWhenQueueEmpty(
  sqs: SQSClient,
  queueUrl: string,
  clock: BenchRunClock,
): Promise<void> {
  await clock.counted;
  while (!clock.stopped) {
    if ((await messagesLeft(sqs, queueUrl)) === 0) {
      clock.stop();
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
