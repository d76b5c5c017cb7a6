/**
 * The consumer-only app of consumer-only.app.ts written the microservices way:
 * `NestFactory.createMicroservice(AppModule, { strategy: new MessageBusServer(...) })`, one
 * consumer, one `@MessagePattern` handler, shutdown hooks, nothing else to keep Node busy. It
 * prints `STATUS <json>` lines with `consumerStatuses()` on an `unref()`ed timer.
 *
 * Environment: see consumer-only.options.ts.
 */
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import { InstructionType } from '../../../../lib/message/instruction-type.enum';
import { MessageBusServer } from '../../../../lib/microservices/message-bus.server';
import { busOptions } from './consumer-only.options';

@Controller()
class PaymentPatterns {
  @MessagePattern(InstructionType.PAYMENT)
  onPayment(): void {}
}

@Module({ controllers: [PaymentPatterns] })
class ConsumerOnlyServerApp {}

async function main(): Promise<void> {
  const server = new MessageBusServer(busOptions());
  const app = await NestFactory.createMicroservice(ConsumerOnlyServerApp, {
    strategy: server,
    logger: ['error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  await app.listen();
  const report = (): void => {
    process.stdout.write(`STATUS ${JSON.stringify(server.consumerStatuses())}\n`);
  };
  report();
  setInterval(report, 200).unref();
}

void main();
