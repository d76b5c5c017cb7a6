// An ES module consumer of the packed package (its package.json says "type": "module"), run by
// test/smoke/package-loads.spec.ts from a throwaway app dir. The named imports below only link
// when Node finds the package's CommonJS exports. It prints one `SMOKE_RESULT <json>` line.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as bus from 'nestjs-message-bus';
import { MessageBusError, MessageBusMessage, MessageValidationError } from 'nestjs-message-bus';

const MESSAGE = 'SMOKE_MESSAGE';
// Names Node adds to the namespace of a CommonJS module that are not the package's exports.
const WRAPPER_NAMES = new Set(['default', 'module.exports', '__esModule']);

function resolveEntry(entry) {
  const specifier = entry === '.' ? 'nestjs-message-bus' : `nestjs-message-bus/${entry.slice(2)}`;
  return fileURLToPath(import.meta.resolve(specifier));
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

const fixture = process.env.SMOKE_FIXTURE;
const result = {
  format: 'esm',
  nestVersion: JSON.parse(
    readFileSync(new URL('./node_modules/@nestjs/core/package.json', import.meta.url), 'utf8'),
  ).version,
  exportNames: Object.keys(bus)
    .filter((name) => !WRAPPER_NAMES.has(name))
    .sort(),
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
