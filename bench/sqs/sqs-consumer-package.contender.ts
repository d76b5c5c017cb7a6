import type { Message } from '@aws-sdk/client-sqs';
import { Consumer } from 'sqs-consumer';
import type { ContenderRun } from '../contender.interface';
import { checkPaymentByHand } from '../payment-envelope';
import { benchSqsClient, stopWhenQueueEmpty } from './sqs-queue.fixture';

/**
 * The `sqs-consumer` package (15.x). `best = false`: one instance with its defaults
 * (`handleMessage`, batchSize 1, 20 s long poll). `best = true`: `parallel` instances, each
 * batchSize 10 with `handleMessageBatch` (one DeleteMessageBatch per receive), 1 s long poll.
 * Handlers parse and check each body by hand, as the plain loop does.
 */
export function sqsConsumerPackageContender(best: boolean): ContenderRun {
  return async (request, clock) => {
    const { endpoint, queueUrl, parallel } = request.sqs!;
    clock.stopsOnLastCount = false;
    const sqs = benchSqsClient(endpoint);
    const consumers = Array.from({ length: best ? parallel : 1 }, () =>
      best
        ? Consumer.create({
            queueUrl,
            sqs,
            batchSize: 10,
            waitTimeSeconds: 1,
            handleMessageBatch: async (messages: Message[]) => {
              for (const message of messages) checkPaymentByHand(JSON.parse(message.Body ?? ''));
              clock.count(messages.length);
              return messages;
            },
          })
        : Consumer.create({
            queueUrl,
            sqs,
            handleMessage: async (message: Message) => {
              checkPaymentByHand(JSON.parse(message.Body ?? ''));
              clock.count();
              return message;
            },
          }),
    );
    for (const consumer of consumers) consumer.on('error', () => undefined);
    clock.start();
    try {
      for (const consumer of consumers) consumer.start();
      await stopWhenQueueEmpty(sqs, queueUrl, clock);
    } finally {
      for (const consumer of consumers) consumer.stop({ abort: true });
      sqs.destroy();
    }
  };
}
