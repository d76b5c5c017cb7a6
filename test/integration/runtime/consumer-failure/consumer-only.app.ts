/**
 * A consumer-only app, as a service runs it in production: `createApplicationContext`, one
 * consumer, shutdown hooks, nothing else to keep Node busy. Run as a child process by
 * consumer-failure.integration.spec.ts. It prints `STATUS <json>` lines with `statuses()` on an
 * `unref()`ed timer, which does not keep the process alive by itself, and exits 0 on SIGTERM.
 *
 * Environment: see consumer-only.options.ts.
 */
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InstructionType } from '../../../../lib/message/instruction-type.enum';
import { OnInstruction } from '../../../../lib/decorators/on-instruction.decorator';
import { MessageBusModule } from '../../../../lib/message-bus.module';
import { ConsumerOrchestrator } from '../../../../lib/runtime/consumer.orchestrator';
import { busOptions } from './consumer-only.options';

@Injectable()
class PaymentHandler {
  @OnInstruction(InstructionType.PAYMENT)
  onPayment(): void {}
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
