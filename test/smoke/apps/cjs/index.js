'use strict';
// A CommonJS consumer of the packed package, run by test/smoke/package-loads.spec.ts from a
// throwaway app dir. It prints one `SMOKE_RESULT <json>` line that the spec asserts on.
require('reflect-metadata');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const bus = require('nestjs-message-bus');
const { MessageBusError, MessageBusMessage, MessageValidationError } = bus;

const MESSAGE = 'SMOKE_MESSAGE';

function resolveEntry(entry) {
  return require.resolve(
    entry === '.' ? 'nestjs-message-bus' : `nestjs-message-bus/${entry.slice(2)}`,
  );
}

function rejection(input) {
  try {
    MessageBusMessage.fromJSON(input);
  } catch (error) {
    return {
      name: error.name,
      isMessageValidationError: error instanceof MessageValidationError,
      isMessageBusError: error instanceof MessageBusError,
      fields: error.fields,
    };
  }
  return null;
}

async function bootNest(fixture) {
  class AppModule {}
  Module({
    providers: [{ provide: MESSAGE, useFactory: () => MessageBusMessage.fromJSON(fixture) }],
  })(AppModule);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
  const fromProvider = app.get(MESSAGE).serialize();
  await app.close();
  return { fromProvider, closed: true };
}

async function main() {
  const fixture = process.env.SMOKE_FIXTURE;
  const result = {
    format: 'cjs',
    nestVersion: JSON.parse(
      readFileSync(join(__dirname, 'node_modules/@nestjs/core/package.json'), 'utf8'),
    ).version,
    exportNames: Object.keys(bus).sort(),
    resolved: Object.fromEntries(
      JSON.parse(process.env.SMOKE_ENTRY_POINTS).map((e) => [e, resolveEntry(e)]),
    ),
    roundTrip: MessageBusMessage.fromJSON(fixture).serialize(),
    reordered: MessageBusMessage.fromJSON(process.env.SMOKE_REORDERED).serialize(),
    created: MessageBusMessage.create(JSON.parse(process.env.SMOKE_CREATE)).serialize(),
    rejected: rejection(process.env.SMOKE_INVALID),
    nest: await bootNest(fixture),
  };
  process.stdout.write(`SMOKE_RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
