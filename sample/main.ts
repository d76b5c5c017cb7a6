import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  InstructionType,
  KafkaClient,
  MessageBusMessage,
  MessageBusPublisher,
  SqsClient,
} from 'nestjs-message-bus';
import { AppModule } from './app.module';
import { PAYMENTS, TRANSACTION_STATUS } from './bus-options.factory';
import { PaymentLedger } from './payments/payment-ledger.service';

/**
 * Starts the payments service, sends it one PAYMENT instruction as another service would,
 * and stops once the TRANSACTION_STATUS_UPDATE it publishes has come back round.
 */
async function main(): Promise<void> {
  const transport = process.env.SAMPLE_TRANSPORT ?? 'memory';
  if (transport === 'sqs') await createQueues();
  if (transport === 'kafka') await createTopics();

  const app = await NestFactory.createApplicationContext(AppModule);
  app.enableShutdownHooks();
  const logger = new Logger('Sample');

  const reference = `REF-${Date.now()}`;
  const notified = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no status update within 30 s')), 30_000);
    app.get(PaymentLedger).on('notified', (ref: string, status: string) => {
      if (ref !== reference) return;
      clearTimeout(timer);
      resolve(status);
    });
  });

  const payment = MessageBusMessage.create({
    source: 'BANKING_SERVICE',
    instructionType: InstructionType.PAYMENT,
    payload: {
      external_reference: `EXT-${reference}`,
      payer_name: 'Jane Doe',
      currency: 'EUR',
      value: '100.00',
      source: 'BANK',
      reference,
      direction: 'INBOUND',
    },
    serviceToken: 'sample.service.token',
  });
  logger.log(`Publishing PAYMENT ${reference} on ${transport}:${PAYMENTS}`);
  await app.get(MessageBusPublisher).publish(payment, PAYMENTS);

  try {
    const status = await notified;
    logger.log(
      `Flow complete: ${reference} went PAYMENT → recorded → TRANSACTION_STATUS_UPDATE (${status})`,
    );
  } finally {
    await app.close();
  }
}

/** SQS queues must exist before consumers poll them; ElasticMQ creates them on request. */
async function createQueues(): Promise<void> {
  const client = new SqsClient({
    queueUrl: process.env.SQS_QUEUE_URL ?? 'http://127.0.0.1:9324/000000000000',
    credentials: localCredentials(),
  });
  try {
    for (const queue of [
      PAYMENTS,
      `${PAYMENTS}-dlq`,
      TRANSACTION_STATUS,
      `${TRANSACTION_STATUS}-dlq`,
    ]) {
      await client.createQueue(queue);
    }
  } finally {
    await client.close();
  }
}

/** Topics must exist before a consumer group subscribes to them. */
async function createTopics(): Promise<void> {
  const client = new KafkaClient({
    bootstrapServers: process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092',
    securityProtocol: process.env.KAFKA_API_PROTOCOL ?? 'PLAINTEXT',
  });
  const admin = client.createKafka('admin').admin();
  try {
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: PAYMENTS }, { topic: TRANSACTION_STATUS }],
    });
  } finally {
    await admin.disconnect();
    await client.close();
  }
}

/** ElasticMQ accepts any key; real AWS takes the standard credential chain when these are unset. */
function localCredentials(): { accessKeyId: string; secretAccessKey: string } {
  return {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
