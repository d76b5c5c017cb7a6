import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { MessageBusModuleOptions, TransportName } from 'nestjs-message-bus';

export const PAYMENTS = 'payments';
export const TRANSACTION_STATUS = 'transaction-status';

/** Reads the bus settings from the environment (see .env.example). */
@Injectable()
export class BusOptionsFactory {
  constructor(private readonly config: ConfigService) {}

  create(): MessageBusModuleOptions {
    const transport = this.config.get<TransportName>('SAMPLE_TRANSPORT', 'memory');
    const retry = { maxAttempts: 3, initialDelayMs: 500 };
    return {
      transport,
      sqs:
        transport === 'sqs'
          ? {
              queueUrl: this.config.get('SQS_QUEUE_URL', 'http://127.0.0.1:9324/000000000000'),
              region: this.config.get('AWS_REGION'),
              // The local broker takes any key; against AWS, set real ones or use a role.
              credentials: {
                accessKeyId: this.config.get('AWS_ACCESS_KEY_ID', 'local'),
                secretAccessKey: this.config.get('AWS_SECRET_ACCESS_KEY', 'local'),
              },
            }
          : undefined,
      kafka:
        transport === 'kafka'
          ? {
              bootstrapServers: this.config.get('KAFKA_BOOTSTRAP_SERVERS', '127.0.0.1:9092'),
              securityProtocol: this.config.get('KAFKA_API_PROTOCOL', 'PLAINTEXT'),
              producerId: 'sample-payments-producer',
              consumerId: 'sample-payments-consumer',
            }
          : undefined,
      consumers:
        transport === 'kafka'
          ? {
              kafka: [
                { topic: PAYMENTS, groupId: 'sample-payments', retry },
                { topic: TRANSACTION_STATUS, groupId: 'sample-notifier', retry },
              ],
            }
          : {
              sqs: [
                { queue: PAYMENTS, deadLetterQueue: `${PAYMENTS}-dlq`, retry, waitTimeSeconds: 1 },
                {
                  queue: TRANSACTION_STATUS,
                  deadLetterQueue: `${TRANSACTION_STATUS}-dlq`,
                  retry,
                  waitTimeSeconds: 1,
                },
              ],
            },
      shutdownTimeoutMs: 5_000,
    };
  }
}
