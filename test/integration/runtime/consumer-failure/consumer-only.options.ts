/**
 * The bus settings of the consumer-only apps (consumer-only.app.ts with MessageBusModule,
 * consumer-only.server.app.ts with MessageBusServer), from their environment: BUS_TRANSPORT
 * (`sqs` | `kafka`), BUS_SOURCE (queue or topic), ON_CONSUMER_FAILURE (unset, `keep-running` or
 * `exit`), SQS_QUEUE_URL_PREFIX, KAFKA_BOOTSTRAP_SERVERS.
 */
import type {
  ConsumerFailureBehaviour,
  MessageBusModuleOptions,
} from '../../../../lib/interfaces/message-bus-module-options.interface';

export function busOptions(): MessageBusModuleOptions {
  const source = process.env.BUS_SOURCE as string;
  const onConsumerFailure = process.env.ON_CONSUMER_FAILURE as ConsumerFailureBehaviour | undefined;
  if (process.env.BUS_TRANSPORT === 'sqs') {
    return {
      sqs: {
        queueUrl: process.env.SQS_QUEUE_URL_PREFIX as string,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      },
      consumers: { sqs: [{ queue: source, waitTimeSeconds: 1 }] },
      ...(onConsumerFailure ? { onConsumerFailure } : {}),
    };
  }
  return {
    kafka: {
      bootstrapServers: process.env.KAFKA_BOOTSTRAP_SERVERS,
      securityProtocol: 'PLAINTEXT',
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 300,
      maxWaitTimeMs: 100,
    },
    consumers: { kafka: [{ topic: source }] },
    ...(onConsumerFailure ? { onConsumerFailure } : {}),
  };
}
