import { DeleteMessageBatchCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { ContenderRun } from '../contender.interface';
import { checkPaymentByHand } from '../payment-envelope';
import { benchSqsClient, stopWhenQueueEmpty } from './sqs-queue.fixture';

/**
 * The plain loop a user writes with the SDK alone: `parallel` loops, each receiving 10 with a
 * 1 s long poll, parsing and checking each body by hand (as K1 does), then one
 * DeleteMessageBatch per receive; one SQSClient shared by the loops.
 */
export const sqsPlainLoopContender: ContenderRun = async (request, clock) => {
  const { endpoint, queueUrl, parallel } = request.sqs!;
  clock.stopsOnLastCount = false;
  const sqs = benchSqsClient(endpoint);
  const loop = async (): Promise<void> => {
    while (!clock.stopped && clock.handled < request.messages) {
      const { Messages: received = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      if (received.length === 0) continue;
      for (const message of received) checkPaymentByHand(JSON.parse(message.Body ?? ''));
      const deleted = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: received.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
      clock.count((deleted.Successful ?? []).length);
    }
  };
  clock.start();
  try {
    const loops = Array.from({ length: parallel }, loop);
    await stopWhenQueueEmpty(sqs, queueUrl, clock);
    await Promise.all(loops);
  } finally {
    sqs.destroy();
  }
};
