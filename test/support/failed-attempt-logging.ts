import {
  Catch,
  Controller,
  Injectable,
  Logger,
  UseFilters,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import {
  EventType,
  InstructionType,
  MessageBusMessage,
  OnEvent,
  OnInstruction,
} from 'nestjs-message-bus';
import { expect } from 'vitest';
import { buildPaymentMessage } from './payment-message';
import type { CapturedLine } from './captured-logger';

/**
 * Defect 6 of issue 9 (every failed attempt logged twice, and without the error), the same on
 * every transport: handlers that always fail, on a controller and on a provider (the module's
 * `@OnInstruction` / `@OnEvent`) and as `MessageBusServer` patterns, and the check that each
 * failed attempt wrote exactly one line, by the consumer, with every promised field.
 */

export class LedgerDownError extends Error {
  override readonly name = 'LedgerDownError';
}

/** What the failing handlers threw, by reference, and what the user's filter caught. */
export const failures = {
  thrown: new Map<string, LedgerDownError>(),
  filtered: [] as unknown[],
  reset(): void {
    this.thrown.clear();
    this.filtered.length = 0;
  },
};

/** The context of the line the user's filter writes. */
export const AUDIT_FILTER_CONTEXT = 'AuditFilter';

/**
 * A user's filter that records and logs the error but answers nothing, so the error goes on
 * to Nest's default handling: exactly where Nest would log it a second time.
 */
@Catch(LedgerDownError)
export class AuditFilter implements ExceptionFilter {
  private readonly logger = new Logger(AUDIT_FILTER_CONTEXT);

  catch(error: LedgerDownError, _host: ArgumentsHost): void {
    failures.filtered.push(error);
    this.logger.warn(`audited a ${error.name}`);
  }
}

function fail(reference: string): never {
  // The error names the reference (the user chose to), so that each message's lines are found.
  const error = new LedgerDownError(`ledger down for ${reference}`);
  failures.thrown.set(reference, error);
  throw error;
}

@Controller()
export class FailingController {
  @OnInstruction(InstructionType.PAYMENT)
  @UseFilters(AuditFilter)
  onPayment(@Payload('reference') reference: string): void {
    fail(reference);
  }
}

@Injectable()
export class FailingProvider {
  @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
  onStatus(@Payload('reference') reference: string): void {
    fail(reference);
  }
}

@Controller()
export class FailingPatternController {
  @MessagePattern(InstructionType.PAYMENT)
  @UseFilters(AuditFilter)
  pay(@Payload('reference') reference: string): void {
    fail(reference);
  }

  @EventPattern(EventType.TRANSACTION_STATUS_UPDATE)
  status(@Payload('reference') reference: string): void {
    fail(reference);
  }
}

/** Payment personal data no log line may carry. */
export const FAILING_PAYER = 'Zoë Secret-Payer';

export function failingPayment(reference: string, serviceToken: string): MessageBusMessage {
  return buildPaymentMessage({ reference, payerName: FAILING_PAYER, serviceToken });
}

export function failingStatusEvent(reference: string, serviceToken: string): MessageBusMessage {
  return MessageBusMessage.create({
    source: 'LEDGER_SERVICE',
    event: EventType.TRANSACTION_STATUS_UPDATE,
    serviceToken,
    payload: { reference, status: 'SETTLED-SECRETLY' },
  });
}

/** What of `message` no log line may carry: the token and the payload's personal values. */
export function secretsOf(message: MessageBusMessage, serviceToken: string): string[] {
  const payload = message.payload as Record<string, unknown>;
  return [
    serviceToken,
    FAILING_PAYER,
    ...['external_reference', 'status'].flatMap((field) =>
      typeof payload[field] === 'string' ? [payload[field]] : [],
    ),
  ];
}

export interface FailedAttemptsExpectation {
  /** The class whose logger writes the consumer's line (`SqsConsumer`, `KafkaConsumer`, `MemoryConsumer`). */
  readonly context: string;
  readonly message: MessageBusMessage;
  /** The queue or topic. */
  readonly source: string;
  /** How many attempts the message had (each failed). */
  readonly attempts: number;
  /** What must never appear in any line: the token and payload values. */
  readonly secrets: readonly string[];
}

/**
 * Every line that mentions the failure of `message`, except the user's filter's own, is one of
 * its consumer's attempt lines: one per attempt, in order, each with the type, the idempotency
 * key, the source, the attempt, and the error's name and message; none of Nest's exception
 * handlers wrote a line, and no line carries the token or payload data.
 */
export function expectOneLinePerFailedAttempt(
  lines: readonly CapturedLine[],
  expected: FailedAttemptsExpectation,
): void {
  const reference = (expected.message.payload as { reference: string }).reference;
  const error = failures.thrown.get(reference);
  expect(error, `the handler ran for ${reference}`).toBeDefined();
  const { name, message } = error as LedgerDownError;
  const mentioning = lines.filter(
    (line) =>
      line.context !== AUDIT_FILTER_CONTEXT &&
      (line.text.includes(message) ||
        line.text.includes(expected.message.meta_data.idempotency_key)),
  );
  expect(
    mentioning.map((line) => line.context),
    JSON.stringify(mentioning, null, 1),
  ).toEqual(Array<string>(expected.attempts).fill(expected.context));
  mentioning.forEach((line, index) => {
    const { text } = line;
    expect(text).toContain(expected.message.type);
    expect(text).toContain(`idempotency_key ${expected.message.meta_data.idempotency_key}`);
    expect(text).toContain(expected.source);
    expect(text).toMatch(new RegExp(`, attempt ${index + 1}\\b`));
    expect(text).toContain(`${name}: ${message}`);
  });
  expect(
    lines.filter((line) =>
      ['ExceptionsHandler', 'RpcExceptionsHandler'].includes(String(line.context)),
    ),
  ).toEqual([]);
  for (const secret of expected.secrets) {
    expect(lines.filter((line) => line.text.includes(secret))).toEqual([]);
  }
}
