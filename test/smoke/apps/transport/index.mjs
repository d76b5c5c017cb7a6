// An app that installed the packed package with the README's install lines for ONE transport,
// run by test/smoke/package-loads.spec.ts from a throwaway app dir. SMOKE_TRANSPORT says which
// (sqs or kafka); SMOKE_MODE is `consume` (publish one payment and handle it through
// MessageBusModule.forRoot) or `other-transport` (configure the transport that is NOT
// installed, which must fail with MissingOptionalPackageError). Prints one `SMOKE_RESULT <json>`.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  InstructionType,
  MessageBusConfigurationError,
  MessageBusMessage,
  MessageBusModule,
  MessageBusPublisher,
  MissingOptionalPackageError,
  OnInstruction,
} from 'nestjs-message-bus';

const require = createRequire(import.meta.url);
const {
  SMOKE_TRANSPORT: transport,
  SMOKE_MODE: mode,
  SMOKE_DESTINATION: destination,
} = process.env;

function installed(name) {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

const handled = [];
class PaymentsController {
  pay(payment) {
    handled.push(payment.reference);
  }
}
Reflect.decorate([Controller()], PaymentsController);
Reflect.decorate(
  [OnInstruction(InstructionType.PAYMENT)],
  PaymentsController.prototype,
  'pay',
  Object.getOwnPropertyDescriptor(PaymentsController.prototype, 'pay'),
);

function busOptions(bus) {
  if (bus === 'sqs') {
    return {
      sqs: {
        queueUrl: process.env.SMOKE_SQS_URL,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      },
      consumers: { sqs: [{ queue: destination, waitTimeSeconds: 1 }] },
    };
  }
  return {
    kafka: {
      bootstrapServers: process.env.SMOKE_KAFKA,
      securityProtocol: 'PLAINTEXT',
      logLevel: 'nothing',
    },
    consumers: { kafka: [{ topic: destination, groupId: `${destination}-group` }] },
  };
}

async function boot(bus) {
  class AppModule {}
  Reflect.decorate(
    [
      Module({
        imports: [MessageBusModule.forRoot(busOptions(bus))],
        controllers: [PaymentsController],
      }),
    ],
    AppModule,
  );
  return NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false });
}

async function consume() {
  const app = await boot(transport);
  const reference = `SMOKE-${transport.toUpperCase()}-1`;
  const message = MessageBusMessage.create({
    source: 'SMOKE_SERVICE',
    instructionType: InstructionType.PAYMENT,
    serviceToken: 'smoke.jwt.token',
    payload: {
      external_reference: 'E1',
      currency: 'EUR',
      value: '1.00',
      source: 'BANK',
      reference,
      direction: 'INBOUND',
    },
  });
  const receipt = await app.get(MessageBusPublisher).publish(message, destination);
  const deadline = Date.now() + 45_000;
  while (!handled.includes(reference) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await app.close();
  return { published: receipt.transport, handled };
}

async function otherTransport() {
  const other = transport === 'sqs' ? 'kafka' : 'sqs';
  try {
    const app = await boot(other);
    await app.close();
    return { error: null };
  } catch (error) {
    return {
      error: {
        name: error.name,
        message: error.message,
        isMissingOptionalPackageError: error instanceof MissingOptionalPackageError,
        isConfigurationError: error instanceof MessageBusConfigurationError,
        packageName: error.packageName,
      },
    };
  }
}

async function main() {
  const result = {
    nestVersion: JSON.parse(readFileSync(require.resolve('@nestjs/core/package.json'), 'utf8'))
      .version,
    installed: {
      kafkajs: installed('kafkajs'),
      '@aws-sdk/client-sqs': installed('@aws-sdk/client-sqs'),
    },
    ...(mode === 'consume' ? await consume() : await otherTransport()),
  };
  process.stdout.write(`SMOKE_RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
