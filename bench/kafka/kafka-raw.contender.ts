import { Kafka, logLevel } from 'kafkajs';
import type { ContenderRun } from '../contender.interface';
import { checkPaymentByHand } from '../payment-envelope';

/**
 * K0 and K1: kafkajs `eachBatch` as a user writes it without a library. K0 resolves and
 * commits every message, reading nothing (the floor of any consumer); K1 also parses each
 * value with `JSON.parse` and checks the PAYMENT fields by hand (checkPaymentByHand), as a
 * careful user would, resolving each offset once handled and committing per batch.
 */
export function kafkaRawContender(parse: boolean): ContenderRun {
  return async (request, clock) => {
    const kafka = request.kafka!;
    const client = new Kafka({
      clientId: `bench-${request.contender}`,
      brokers: [kafka.brokers],
      logLevel: logLevel.ERROR,
    });
    // The same consumer settings the library's defaults give kafkajs.
    const consumer = client.consumer({
      groupId: kafka.groupId,
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 500,
    });
    clock.start();
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [kafka.topic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: kafka.partitions,
        eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }) => {
          for (const message of batch.messages) {
            if (parse) checkPaymentByHand(JSON.parse((message.value as Buffer).toString('utf8')));
            resolveOffset(message.offset);
            clock.count();
          }
          const next = (BigInt(batch.lastOffset()) + 1n).toString();
          await commitOffsetsIfNecessary({
            topics: [
              { topic: kafka.topic, partitions: [{ partition: batch.partition, offset: next }] },
            ],
          });
          await heartbeat();
        },
      });
      await clock.finished;
    } finally {
      await consumer.disconnect();
    }
  };
}
