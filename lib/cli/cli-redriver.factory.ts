import type { DeadLetterRedriver } from '../redrive/dead-letter-redriver.interface';
import type { CliConnectionOptions } from './cli-connection-options.interface';
import { CliUsageError } from './cli-usage.error';

/** A redriver and what to close when the command is done. */
export interface CliRedriver {
  readonly redriver: DeadLetterRedriver;
  close(): Promise<void>;
}

/** ElasticMQ's and moto's account: the default only when an endpoint is given without a queue URL. */
const LOCAL_ACCOUNT_ID = '000000000000';

/**
 * Builds the redriver for `deadLetters` from the flags, then the environment. Each SDK is
 * loaded only for its transport, so an SQS-only install runs without kafkajs and back.
 */
export async function createCliRedriver(
  deadLetters: string,
  options: CliConnectionOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<CliRedriver> {
  if (options.transport === 'sqs') {
    const [{ SqsClient }, { SqsDeadLetterRedriver }] = await Promise.all([
      import('../transports/sqs/sqs.client.js'),
      import('../redrive/sqs-dead-letter.redriver.js'),
    ]);
    const endpoint = options.sqsEndpoint ?? env.SQS_ENDPOINT;
    const queueUrl =
      options.sqsQueueUrl ??
      env.SQS_QUEUE_URL ??
      (/^https?:\/\//.test(deadLetters)
        ? new URL(deadLetters).origin + '/' + accountOf(deadLetters)
        : undefined) ??
      (endpoint !== undefined
        ? `${endpoint.replace(/\/+$/, '')}/${options.awsAccountId ?? env.AWS_ACCOUNT_ID ?? LOCAL_ACCOUNT_ID}`
        : undefined);
    if (queueUrl === undefined) {
      throw new CliUsageError(
        '--sqs-queue-url',
        'is needed for SQS (or SQS_QUEUE_URL, or --sqs-endpoint / SQS_ENDPOINT), e.g. https://sqs.eu-west-1.amazonaws.com/123456789012',
      );
    }
    const client = new SqsClient({
      queueUrl,
      ...(options.region !== undefined ? { region: options.region } : {}),
      ...(endpoint !== undefined ? { endpoint } : {}),
    });
    return {
      redriver: new SqsDeadLetterRedriver(client, deadLetters),
      close: () => client.close(),
    };
  }
  const [{ KafkaClient }, { KafkaDeadLetterRedriver }] = await Promise.all([
    import('../transports/kafka/kafka.client.js'),
    import('../redrive/kafka-dead-letter.redriver.js'),
  ]);
  const userName = options.kafkaUser ?? env.KAFKA_SASL_USERNAME;
  const password = env.KAFKA_SASL_PASSWORD;
  const client = new KafkaClient({
    ...(options.kafkaBrokers !== undefined ? { bootstrapServers: options.kafkaBrokers } : {}),
    ...(options.kafkaSecurityProtocol !== undefined
      ? { securityProtocol: options.kafkaSecurityProtocol }
      : {}),
    ...(userName !== undefined ? { userName } : {}),
    ...(password !== undefined ? { password } : {}),
    producerId: 'nestjs-message-bus-redrive',
    consumerId: 'nestjs-message-bus-redrive',
  });
  return {
    redriver: new KafkaDeadLetterRedriver(
      client,
      deadLetters,
      options.group !== undefined ? { groupId: options.group } : {},
    ),
    close: () => client.close(),
  };
}

/** The account path segment of a full queue URL (`https://host/<account>/<queue>`). */
function accountOf(queueUrl: string): string {
  return new URL(queueUrl).pathname.split('/').filter(Boolean)[0] ?? '';
}
