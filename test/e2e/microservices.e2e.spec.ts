import {
  Controller,
  Module,
  UseGuards,
  type CanActivate,
  type INestMicroservice,
  type Type,
} from '@nestjs/common';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import {
  DeadLetter,
  EventType,
  InstructionType,
  MessageBusClientProxy,
  MessageBusContext,
  MessageBusServer,
  PaymentPayload,
  TransactionStatusEventPayload,
} from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { lastValueFrom } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { ConsumerWatchdog } from '../../lib/runtime/consumer-watchdog';
import { paymentMessage, statusEvent } from './fixtures/messages';

const seen: string[] = [];

@Controller()
class PatternController {
  @MessagePattern(InstructionType.PAYMENT)
  pay(@Payload() payment: PaymentPayload, @Ctx() context: MessageBusContext) {
    seen.push(
      `pay:${payment.reference}:${payment instanceof PaymentPayload}:attempt ${context.getAttempt()}`,
    );
    if (payment.reference === 'FAILS') throw new Error('bank down');
  }

  @EventPattern(EventType.TRANSACTION_STATUS_UPDATE)
  status(@Payload('status') status: string, @Payload() event: TransactionStatusEventPayload) {
    seen.push(`status:${status}:${event instanceof TransactionStatusEventPayload}`);
  }
}

class RefuseAll implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Controller()
class RefusingPatternController {
  @MessagePattern(InstructionType.PAYMENT)
  @UseGuards(RefuseAll)
  pay() {
    seen.push('pay ran');
  }

  @EventPattern(EventType.TRANSACTION_STATUS_UPDATE)
  status() {
    throw new DeadLetter('no such ledger');
  }
}

/** A microservice on the memory bus whose `payments` queue runs `controller`'s patterns, listening. */
async function startPatternApp(
  controller: Type<unknown>,
  maxAttempts: number,
): Promise<{ server: MessageBusServer; app: INestMicroservice }> {
  const server = new MessageBusServer({
    transport: 'memory',
    consumers: {
      sqs: [
        {
          queue: 'payments',
          deadLetterQueue: 'payments-dlq',
          retry: { maxAttempts, initialDelayMs: 5 },
        },
      ],
    },
  });
  const moduleRef = await Test.createTestingModule({ controllers: [controller] }).compile();
  const app = moduleRef.createNestMicroservice({ strategy: server });
  await app.listen();
  seen.length = 0;
  return { server, app };
}

describe('@nestjs/microservices integration', () => {
  it('MessageBusServer runs @MessagePattern / @EventPattern handlers with validation, retries and dead letters', async () => {
    const { server, app } = await startPatternApp(PatternController, 2);

    server.memory.publishRaw(paymentMessage('OK').serialize(), 'payments');
    server.memory.publishRaw(statusEvent('OK', 'SETTLED').serialize(), 'payments');
    server.memory.publishRaw(paymentMessage('FAILS').serialize(), 'payments');
    server.memory.publishRaw('{"meta_data": {}}', 'payments');
    await server.memory.whenIdle();

    expect(seen.sort()).toEqual([
      'pay:FAILS:true:attempt 1',
      'pay:FAILS:true:attempt 2',
      'pay:OK:true:attempt 1',
      'status:SETTLED:true',
    ]);
    expect(server.memory.deadLetters.map((letter) => letter.reason.split(':')[0]).sort()).toEqual([
      'handler-error',
      'invalid-message',
    ]);
    expect(server.consumerStatuses()[0]).toMatchObject({ handled: 2, deadLettered: 2, retried: 1 });
    await app.close();
  });

  it("dead-letters a pattern's guard refusal and its DeadLetter at once, as for the module's handlers", async () => {
    const { server, app } = await startPatternApp(RefusingPatternController, 3);

    server.memory.publishRaw(paymentMessage('REFUSED').serialize(), 'payments');
    server.memory.publishRaw(statusEvent('UNKNOWN-LEDGER').serialize(), 'payments');
    await server.memory.whenIdle();

    expect(seen).toEqual([]);
    expect(
      server.memory.deadLetters.map((letter) => [letter.reason, letter.attempts]).sort(),
    ).toEqual([
      ['dead-letter-requested: DeadLetter: no such ledger', 1],
      [expect.stringMatching(/^forbidden: .*Forbidden resource/), 1],
    ]);
    expect(server.consumerStatuses()[0]).toMatchObject({ retried: 0, deadLettered: 2 });
    await app.close();
  });

  it('starts a consumer watchdog with its consumers, and close() stops it', async () => {
    const start = vi.spyOn(ConsumerWatchdog.prototype, 'start');
    const stop = vi.spyOn(ConsumerWatchdog.prototype, 'stop');
    try {
      const server = new MessageBusServer({
        transport: 'memory',
        consumers: { sqs: [{ queue: 'payments' }] },
      });
      const moduleRef = await Test.createTestingModule({
        controllers: [PatternController],
      }).compile();
      const app = moduleRef.createNestMicroservice({ strategy: server });
      await app.listen();
      expect(start).toHaveBeenCalledOnce();
      expect(stop).not.toHaveBeenCalled();

      await app.close();
      expect(stop).toHaveBeenCalledOnce();
      expect(stop.mock.contexts[0]).toBe(start.mock.contexts[0]);
    } finally {
      start.mockRestore();
      stop.mockRestore();
    }
  });

  it('MessageBusClientProxy.emit() publishes through the module, and send() explains the bus is one-way', async () => {
    @Module({ imports: [MessageBusTestingModule.forRoot()] })
    class ClientModule {}
    const app = await Test.createTestingModule({ imports: [ClientModule] }).compile();
    await app.init();
    const client = app.get(MessageBusClientProxy);

    await lastValueFrom(client.emit('payments', paymentMessage('EMITTED')));
    await lastValueFrom(client.emit('payments', statusEvent('AS-OBJECT').toDict()));

    const published = MessageBusTestBus.from(app).published('payments');
    expect(published.map((record) => record.message.type)).toEqual([
      InstructionType.PAYMENT,
      EventType.TRANSACTION_STATUS_UPDATE,
    ]);
    await expect(lastValueFrom(client.send('payments', paymentMessage()))).rejects.toThrow(
      /one-way: use emit/,
    );
    await app.close();
  });
});
