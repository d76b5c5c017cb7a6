import type { MessageBusModuleOptions } from 'nestjs-message-bus';
import { describe, expect, it } from 'vitest';
import { CapturedLogger } from '../../../support/captured-logger';
import {
  delay,
  HandledLedger,
  publishPayments,
  references,
  startsClosedAfterEach,
  waitUntil,
} from '../../../support/consumer-control-app';
import { describeConsumerControl } from '../../../support/consumer-control-suite';
import { committedOffsets, createTopics, kafkaOptions, uniqueName } from './kafka-runtime-kit';

/**
 * Consumer control against the real Kafka broker: pause keeps the member in its group
 * (kafkajs pause of its partitions, heartbeats go on), records fetched but not reached are
 * fetched again after resume and handled once, autoStart, consume: false across two apps,
 * stop(name). Topics of 3 partitions, so that pause covers several at once.
 */
describeConsumerControl({
  transport: 'kafka',
  quietMs: 3_000,
  maxInFlight: 3,
  sources: async () => {
    const payments = uniqueName('control-payments');
    const statuses = uniqueName('control-statuses');
    await createTopics(payments, 3);
    await createTopics(statuses, 1);
    return {
      payments,
      statuses,
      paymentsConsumer: `kafka:${payments} (${payments}_consumer_group)`,
      statusesConsumer: `kafka:${statuses} (${statuses}_consumer_group)`,
      options: ({ module = {}, paymentsAutoStart } = {}): MessageBusModuleOptions => ({
        kafka: kafkaOptions(),
        consumers: {
          kafka: [
            {
              topic: payments,
              ...(paymentsAutoStart === undefined ? {} : { autoStart: paymentsAutoStart }),
            },
            { topic: statuses },
          ],
        },
        shutdownTimeoutMs: 5_000,
        ...module,
      }),
    };
  },
});

describe('pause on Kafka keeps the member in its group', () => {
  const start = startsClosedAfterEach();

  it.each([1, 2])(
    'with %i member(s): no rebalance across pause and resume, and the committed offsets end at every record',
    async (members) => {
      const topic = uniqueName('control-offsets');
      const groupId = `${topic}_consumer_group`;
      await createTopics(topic, 3);
      const logger = new CapturedLogger();
      const app = await start(
        {
          kafka: kafkaOptions(),
          consumers: { kafka: [{ topic, members, autoStart: false }] },
          shutdownTimeoutMs: 5_000,
        },
        { logger },
      );
      const name = `kafka:${topic} (${groupId})`;
      app.ledger.handlerDelayMs = 50;
      const payments = references('offsets', 45);
      // A backlog: the first fetch brings whole batches, most of which the pause must hold back.
      await publishPayments(app.publisher, topic, payments);
      await app.consumers.start(name);
      await waitUntil('some payments handled', () => app.ledger.payments.length >= 3);
      await waitUntil(
        'every member in the group',
        () => app.consumers.get(name).status().state === 'running',
      );

      const handledBeforePause = app.ledger.payments.length;
      await app.consumers.pause(name);
      const linesAtPause = logger.lines.length;
      const handledAtPause = app.ledger.payments.length;
      // One message per partition was running; the rest of each fetched batch waits.
      expect(handledAtPause - handledBeforePause).toBeLessThanOrEqual(3);
      expect(app.consumers.get(name).status().state).toBe('paused');
      // Longer than the 6 s session timeout: a member that stopped heartbeating would be evicted.
      await delay(7_000);
      expect(app.ledger.payments.length).toBe(handledAtPause);
      await app.consumers.resume(name);
      await waitUntil('every payment', () => app.ledger.payments.length >= 45);

      await waitUntil(
        'the status to count them all',
        () => app.consumers.get(name).status().handled === 45,
      );
      expect(HandledLedger.duplicates(app.ledger.payments)).toEqual([]);
      const sincePause = logger.lines.slice(linesAtPause).map((line) => line.text);
      expect(sincePause.filter((text) => /is rebalancing|rejoined group/.test(text))).toEqual([]);
      const offsets = await committedOffsets(groupId, topic);
      expect([...offsets.values()].reduce((sum, offset) => sum + offset, 0)).toBe(45);
    },
  );
});
