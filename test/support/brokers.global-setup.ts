import { Kafka, logLevel } from 'kafkajs';
import { brokerVariable, ensureBrokers } from './broker-environment';

const WARM_UP_TIMEOUT_MS = 90_000;

/**
 * Vitest global setup of the integration projects: brokers up, and Kafka's group coordinator
 * loaded, before any worker starts. A fresh broker answers the first group joins with
 * "coordinator is loading" for a while; the suites test the library, not that warm-up.
 */
export default async function setup(): Promise<void> {
  ensureBrokers();
  await warmUpKafkaGroups(brokerVariable('KAFKA_BOOTSTRAP_SERVERS'));
}

async function warmUpKafkaGroups(bootstrapServers: string): Promise<void> {
  const kafka = new Kafka({
    clientId: 'test-warm-up',
    brokers: bootstrapServers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: 'test-warm-up', retry: { retries: 30 } });
  const joined = new Promise<void>((resolve) =>
    consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
  );
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `Kafka at ${bootstrapServers} accepted no consumer group join within ${WARM_UP_TIMEOUT_MS / 1000} s`,
          ),
        ),
      WARM_UP_TIMEOUT_MS,
    );
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'test-warm-up' }] });
    await consumer.connect();
    await consumer.subscribe({ topics: ['test-warm-up'] });
    await consumer.run({ eachMessage: async () => undefined });
    await Promise.race([joined, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
