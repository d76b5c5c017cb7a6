import {
  Catch,
  Controller,
  Injectable,
  ConsoleLogger,
  Logger,
  UseFilters,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ExternalContextCreator } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { Test, type TestingModule } from '@nestjs/testing';
import { EventType, InstructionType, OnEvent, OnInstruction } from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CapturedLogger } from '../support/captured-logger';
import { paymentMessage, statusEvent } from './fixtures/messages';

class LedgerDownError extends Error {
  override readonly name = 'LedgerDownError';
}

const filtered: unknown[] = [];

/**
 * A user's filter that only records the error and answers nothing, so the error goes on to
 * Nest's default handling: exactly where Nest's ExternalExceptionFilter logs it.
 */
@Catch(LedgerDownError)
class AuditFilter implements ExceptionFilter {
  catch(error: LedgerDownError, _host: ArgumentsHost): void {
    filtered.push(error);
  }
}

const thrown = new Map<string, LedgerDownError>();
const fail = (host: string, reference: string): never => {
  const error = new LedgerDownError(`ledger down for ${reference}`);
  thrown.set(host, error);
  throw error;
};

@Controller()
class FailingController {
  @OnInstruction(InstructionType.PAYMENT)
  @UseFilters(AuditFilter)
  onPayment(@Payload('reference') reference: string) {
    fail('controller', reference);
  }
}

@Injectable()
class FailingProvider {
  @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
  onStatus(@Payload('reference') reference: string) {
    fail('provider', reference);
  }

  /** Not a bus handler: called through Nest's own ExternalContextCreator, as other libraries do. */
  notABusHandler() {
    throw new LedgerDownError('outside the bus');
  }
}

describe('a failed handler attempt is not logged by Nest as well', () => {
  const logger = new CapturedLogger();
  let app: TestingModule;
  let bus: MessageBusTestBus;

  beforeAll(async () => {
    app = await Test.createTestingModule({
      imports: [MessageBusTestingModule.forRoot()],
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
  beforeEach(() => {
    logger.lines.length = 0;
    filtered.length = 0;
  });

  it.each([
    { host: 'controller', message: () => paymentMessage('R-1'), filter: 'a user filter' },
    { host: 'provider', message: () => statusEvent('R-1'), filter: 'no filter' },
  ])(
    'on a $host with $filter: no ExceptionsHandler line, and the error comes out unchanged',
    async ({ host, message, filter }) => {
      const outcome = await bus.dispatch(message());

      expect(outcome.status).toBe('failed');
      expect(outcome.status === 'failed' && outcome.error).toBe(thrown.get(host));
      expect(filtered).toEqual(filter === 'no filter' ? [] : [thrown.get(host)]);
      expect(logger.lines.filter((line) => line.context === 'ExceptionsHandler')).toEqual([]);
    },
  );

  it('leaves Nest logging errors of the rest of the app as before', async () => {
    const provider = app.get(FailingProvider);
    const call = app
      .get(ExternalContextCreator)
      .create(
        provider,
        provider.notABusHandler.bind(provider),
        'notABusHandler',
        ROUTE_ARGS_METADATA,
      );

    await expect(call()).rejects.toThrow('outside the bus');

    expect(logger.lines).toContainEqual({
      level: 'error',
      context: 'ExceptionsHandler',
      text: 'LedgerDownError: outside the bus',
    });
  });
});
