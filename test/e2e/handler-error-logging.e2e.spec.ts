import { ConsoleLogger, Logger } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ExternalContextCreator } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { RpcExceptionsHandler } from '@nestjs/microservices/exceptions/rpc-exceptions-handler';
import { lastValueFrom } from 'rxjs';
import type { INestMicroservice } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { MessageBusServer, type MessageBusMessage } from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_FILTER_CONTEXT,
  expectOneLinePerFailedAttempt,
  FailingController,
  FailingPatternController,
  failingPayment,
  FailingProvider,
  LedgerDownError,
  failingStatusEvent,
  failures,
  secretsOf,
} from '../support/failed-attempt-logging';
import { CapturedLogger } from '../support/captured-logger';
import { SERVICE_TOKEN } from './fixtures/messages';

/**
 * Defect 6 of issue 9 on the memory bus: each failed attempt of a handler (the module's, on a
 * controller and on a provider, and a MessageBusServer pattern) is logged once, by
 * MemoryConsumer, with type, idempotency key, source, attempt and the error's name and message;
 * Nest's ExceptionsHandler / RpcExceptionsHandler do not log it as well, and the user's own
 * filters still run (and may log).
 */
const consumers = {
  sqs: [
    {
      queue: 'payments',
      deadLetterQueue: 'payments-dlq',
      retry: { maxAttempts: 2, initialDelayMs: 5 },
    },
  ],
};

/** One MemoryConsumer line per attempt of `message` (two), with every field. */
function expectMemoryConsumerLines(logger: CapturedLogger, message: MessageBusMessage): void {
  expectOneLinePerFailedAttempt(logger.lines, {
    context: 'MemoryConsumer',
    message,
    source: 'memory:payments',
    attempts: 2,
    secrets: secretsOf(message, SERVICE_TOKEN),
  });
}

function forget(logger: CapturedLogger): void {
  logger.lines.length = 0;
  failures.reset();
}

const cases = [
  { host: 'controller', message: () => failingPayment('R-1', SERVICE_TOKEN), filter: true },
  { host: 'provider', message: () => failingStatusEvent('R-2', SERVICE_TOKEN), filter: false },
] as const;

describe('a failed attempt of a module handler is logged once, with every field', () => {
  const logger = new CapturedLogger();
  let app: TestingModule;
  let bus: MessageBusTestBus;

  beforeAll(async () => {
    app = await Test.createTestingModule({
      imports: [MessageBusTestingModule.forRoot({ consumers })],
      controllers: [FailingController],
      providers: [FailingProvider],
    }).compile();
    app.useLogger(logger);
    await app.init();
    bus = MessageBusTestBus.from(app);
  });
  afterAll(async () => {
    await app.close();
    Logger.overrideLogger(new ConsoleLogger());
  });
  beforeEach(() => forget(logger));

  it.each(cases)(
    'on a $host (user filter: $filter): one MemoryConsumer line per attempt, and the error comes out unchanged',
    async ({ message: build, filter }) => {
      const message = build();
      const reference = (message.payload as { reference: string }).reference;

      const [settlement] = await bus.publishAndWait(message, 'payments');

      expect(settlement).toMatchObject({ action: 'dead-letter', attempts: 2 });
      const thrown = failures.thrown.get(reference);
      expect(settlement.outcome.status === 'failed' && settlement.outcome.error).toBe(thrown);
      expect(failures.filtered).toEqual(filter ? [thrown, thrown] : []);
      expectMemoryConsumerLines(logger, message);
    },
  );

  it('leaves Nest logging errors of the rest of the app as before', async () => {
    const provider = app.get(FailingProvider);
    const call = app
      .get(ExternalContextCreator)
      .create(
        provider,
        () => provider.onStatus('outside the bus'),
        'onStatus',
        ROUTE_ARGS_METADATA,
      );

    await expect(call()).rejects.toThrow('ledger down for outside the bus');

    expect(logger.lines).toContainEqual({
      level: 'error',
      text: 'LedgerDownError: ledger down for outside the bus',
      context: 'ExceptionsHandler',
    });
  });
});

describe('a failed attempt of a MessageBusServer pattern is logged once, with every field', () => {
  const logger = new CapturedLogger();
  let server: MessageBusServer;
  let app: INestMicroservice;

  beforeAll(async () => {
    server = new MessageBusServer({ transport: 'memory', consumers });
    const moduleRef = await Test.createTestingModule({
      controllers: [FailingPatternController],
    }).compile();
    app = moduleRef.createNestMicroservice({ strategy: server, logger });
    await app.listen();
  });
  afterAll(async () => {
    await app.close();
    Logger.overrideLogger(new ConsoleLogger());
  });
  beforeEach(() => forget(logger));

  it.each([
    {
      pattern: '@MessagePattern',
      message: () => failingPayment('P-1', SERVICE_TOKEN),
      filter: true,
    },
    {
      pattern: '@EventPattern',
      message: () => failingStatusEvent('P-2', SERVICE_TOKEN),
      filter: false,
    },
  ])(
    '$pattern (user filter: $filter): no RpcExceptionsHandler line, the filter still runs, the error reaches the dead letter',
    async ({ message: build, filter }) => {
      const message = build();
      const reference = (message.payload as { reference: string }).reference;

      server.memory.publishRaw(message.serialize(), 'payments');
      await server.memory.whenIdle();

      const thrown = failures.thrown.get(reference) as Error;
      expect(failures.filtered).toEqual(filter ? [thrown, thrown] : []);
      // The user's filter may log: its lines stay.
      expect(logger.lines.filter((line) => line.context === AUDIT_FILTER_CONTEXT)).toHaveLength(
        filter ? 2 : 0,
      );
      expectMemoryConsumerLines(logger, message);
      const letter = server.memory.deadLetters.find((dead) => dead.body.includes(reference));
      expect(letter?.reason).toBe(`handler-error: LedgerDownError: ledger down for ${reference}`);
    },
  );

  it("leaves Nest's RPC error handling of other servers' handlers as before", async () => {
    const host = new ExecutionContextHost([{ reference: 'TCP-1' }, { not: 'a bus context' }]);
    host.setType('rpc');

    const answer = new RpcExceptionsHandler().handle(new LedgerDownError('over TCP'), host);

    await expect(lastValueFrom(answer)).rejects.toEqual({
      status: 'error',
      message: 'Internal server error',
    });
    expect(logger.lines).toContainEqual({
      level: 'error',
      context: 'RpcExceptionsHandler',
      text: 'LedgerDownError: over TCP',
    });
  });
});
