/**
 * An app whose PAYMENT handler takes its idempotency lease and never returns: the test kills
 * it with SIGKILL while it holds the lease. Run as a child process by
 * idempotency-lease.integration.spec.ts; prints `STARTED <idempotency key>` once the handler runs.
 *
 * Environment: BUS_TRANSPORT (`sqs` | `kafka`), BUS_SOURCE (queue or topic), BUS_GROUP (Kafka
 * group), SQS_QUEUE_URL_PREFIX, KAFKA_BOOTSTRAP_SERVERS, REDIS_URL, KEY_PREFIX, LEASE_MS.
 */
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OnInstruction } from '../../../lib/decorators/on-instruction.decorator';
import type { MessageBusContext } from '../../../lib/dispatch/message-bus.context';
import { RedisIdempotencyStore } from '../../../lib/idempotency/redis-idempotency.store';
import type { IdempotencyOptions } from '../../../lib/idempotency/idempotency-options.interface';
import type { MessageBusModuleOptions } from '../../../lib/interfaces/message-bus-module-options.interface';
import { InstructionType } from '../../../lib/message/instruction-type.enum';
import { MessageBusModule } from '../../../lib/message-bus.module';

/**
 * Named as the handler class of the test's own apps (idempotency-kit.ts), as the same service
 * would be: keys are scoped by `ClassName.method`.
 */
@Injectable()
class IdempotentHandlers {
  @OnInstruction(InstructionType.PAYMENT)
  async onPayment(_payment: object, context: MessageBusContext): Promise<void> {
    process.stdout.write(`STARTED ${context.getMetaData().idempotency_key}\n`);
    await new Promise(() => undefined);
  }
}

function busOptions(): MessageBusModuleOptions {
  const env = process.env as Record<string, string>;
  const idempotency: IdempotencyOptions = {
    store: new RedisIdempotencyStore({ url: env.REDIS_URL, keyPrefix: env.KEY_PREFIX }),
    leaseMs: Number(env.LEASE_MS),
  };
  if (env.BUS_TRANSPORT === 'sqs') {
    return {
      sqs: {
        queueUrl: env.SQS_QUEUE_URL_PREFIX,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      },
      consumers: { sqs: [{ queue: env.BUS_SOURCE, waitTimeSeconds: 1, visibilityTimeout: 2 }] },
      idempotency,
    };
  }
  return {
    kafka: {
      bootstrapServers: env.KAFKA_BOOTSTRAP_SERVERS,
      securityProtocol: 'PLAINTEXT',
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 300,
      maxWaitTimeMs: 100,
    },
    consumers: { kafka: [{ topic: env.BUS_SOURCE, groupId: env.BUS_GROUP }] },
    idempotency,
  };
}

@Module({ imports: [MessageBusModule.forRoot(busOptions())], providers: [IdempotentHandlers] })
class LeaseHolderApp {}

void NestFactory.createApplicationContext(LeaseHolderApp, { logger: ['error', 'warn'] });
