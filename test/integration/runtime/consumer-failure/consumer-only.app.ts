/**
 * A consumer-only app, as a service runs it in production: `createApplicationContext`, one
 * consumer, shutdown hooks, nothing else to keep Node busy. Run as a child process by
 * consumer-failure.integration.spec.ts. It prints `STATUS <json>` lines with `statuses()` on an
 * `unref()`ed timer, which does not keep the process alive by itself, and exits 0 on SIGTERM.
 *
 * Environment: BUS_TRANSPORT (`sqs` | `kafka`), BUS_SOURCE (queue or topic), ON_CONSUMER_FAILURE
 * (unset, `keep-running` or `exit`), SQS_QUEUE_URL_PREFIX, KAFKA_BOOTSTRAP_SERVERS.
 */
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InstructionType } from '../../../../lib/message/instruction-type.enum';
import { OnInstruction } from '../../../../lib/decorators/on-instruction.decorator';
import type {
  ConsumerFailureBehaviour,
  MessageBusModuleOptions,
} from '../../../../lib/interfaces/message-bus-module-options.interface';
import { MessageBusModule } from '../../../../lib/message-bus.module';
import { ConsumerOrchestrator } from '../../../../lib/runtime/consumer.orchestrator';

@Injectable()
class PaymentHandler {
  @OnInstruction(InstructionType.PAYMENT)
  onPayment(): void {}
}

function busOptions(): MessageBusModuleOptions {
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

@Module({ imports: [MessageBusModule.forRoot(busOptions())], providers: [PaymentHandler] })
class ConsumerOnlyApp {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(ConsumerOnlyApp, {
    logger: ['error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  const orchestrator = app.get(ConsumerOrchestrator);
  const report = (): void => {
    process.stdout.write(`STATUS ${JSON.stringify(orchestrator.statuses())}\n`);
  };
  report();
  setInterval(report, 200).unref();
}

void main();
