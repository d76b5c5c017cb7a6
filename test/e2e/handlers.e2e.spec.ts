import { Controller, Injectable, Module, Scope } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import {
  BusMessage,
  DuplicateInstructionHandlerError,
  EventType,
  InstructionType,
  MessageBusContext,
  MessageBusMessage,
  MessageMeta,
  MetaData,
  OnEvent,
  OnInstruction,
  PaymentPayload,
  RequestScopedHandlerError,
  TransactionStatusEventPayload,
} from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { paymentMessage, statusEvent } from './fixtures/messages';

const calls: Array<{ handler: string; args: unknown[] }> = [];

@Controller()
class PaymentsController {
  @OnInstruction(InstructionType.PAYMENT)
  async onPayment(
    @Payload() payment: PaymentPayload,
    @Ctx() context: MessageBusContext,
    @MessageMeta() meta: MetaData,
  ) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    calls.push({ handler: 'onPayment', args: [payment, context, meta] });
  }

  @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
  onStatus(@Payload('status') status: string, @BusMessage() message: MessageBusMessage) {
    calls.push({ handler: 'controller.onStatus', args: [status, message] });
  }
}

@Injectable()
class StatusProjection {
  @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
  project(payload: TransactionStatusEventPayload, context: MessageBusContext) {
    calls.push({ handler: 'provider.project', args: [payload, context] });
  }

  @OnInstruction(InstructionType.STATUS_UPDATE, 'ledger-queue')
  fromLedger(payload: object) {
    calls.push({ handler: 'provider.fromLedger', args: [payload] });
  }
}

@Module({
  imports: [MessageBusTestingModule.forRoot()],
  controllers: [PaymentsController],
  providers: [StatusProjection],
})
class HandlersModule {}

async function start(module: unknown) {
  const moduleRef = await Test.createTestingModule({ imports: [module as never] }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('@OnInstruction / @OnEvent handlers', () => {
  afterEach(() => {
    calls.length = 0;
  });

  it('finds handlers in controllers and providers and awaits them with the validated payload', async () => {
    const app = await start(HandlersModule);
    const bus = MessageBusTestBus.from(app);
    const message = paymentMessage('REF-7');

    const outcome = await bus.dispatch(message, 'payments');

    expect(outcome).toMatchObject({ status: 'handled', handlers: 1 });
    expect(calls.map((call) => call.handler)).toEqual(['onPayment']);
    const [payment, context, meta] = calls[0].args as [PaymentPayload, MessageBusContext, MetaData];
    expect(payment).toBeInstanceOf(PaymentPayload);
    expect(payment.reference).toBe('REF-7');
    expect(context).toBeInstanceOf(MessageBusContext);
    expect(context.getSource()).toBe('payments');
    expect(context.getAttempt()).toBe(1);
    expect(context.getTransport()).toBe('memory');
    expect(meta.idempotency_key).toBe(message.meta_data.idempotency_key);
    await app.close();
  });

  it('calls every handler of an event, in controllers and providers alike', async () => {
    const app = await start(HandlersModule);
    const outcome = await MessageBusTestBus.from(app).dispatch(statusEvent('REF-8', 'SETTLED'));

    expect(outcome).toMatchObject({ status: 'handled', handlers: 2 });
    expect(calls.map((call) => call.handler).sort()).toEqual([
      'controller.onStatus',
      'provider.project',
    ]);
    const controllerCall = calls.find((call) => call.handler === 'controller.onStatus');
    expect(controllerCall?.args[0]).toBe('SETTLED');
    expect(controllerCall?.args[1]).toBeInstanceOf(MessageBusMessage);
    // Without parameter decorators a handler gets (payload, context) as they are.
    const providerCall = calls.find((call) => call.handler === 'provider.project');
    expect(providerCall?.args[0]).toBeInstanceOf(TransactionStatusEventPayload);
    expect(providerCall?.args[1]).toBeInstanceOf(MessageBusContext);
    await app.close();
  });

  it('narrows a handler to its source', async () => {
    const app = await start(HandlersModule);
    const bus = MessageBusTestBus.from(app);
    const update = MessageBusMessage.create({
      source: 'LEDGER',
      instructionType: InstructionType.STATUS_UPDATE,
      serviceToken: 't',
      payload: { reference: 'R', status: 'DONE' },
    });

    expect(await bus.dispatch(update, 'other-queue')).toMatchObject({
      status: 'rejected',
      reason: 'no-handler',
    });
    expect(await bus.dispatch(update, 'ledger-queue')).toMatchObject({ status: 'handled' });
    expect(calls.map((call) => call.handler)).toEqual(['provider.fromLedger']);
    await app.close();
  });

  it('refuses two handlers for one instruction at start-up, naming both', async () => {
    @Injectable()
    class SecondPaymentHandler {
      @OnInstruction(InstructionType.PAYMENT)
      handle() {}
    }
    @Module({
      imports: [MessageBusTestingModule.forRoot()],
      controllers: [PaymentsController],
      providers: [SecondPaymentHandler],
    })
    class DuplicateModule {}

    const error = await start(DuplicateModule).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DuplicateInstructionHandlerError);
    expect((error as Error).message).toContain('PaymentsController.onPayment');
    expect((error as Error).message).toContain('SecondPaymentHandler.handle');
  });

  it('allows one instruction type on two different sources', async () => {
    @Injectable()
    class PerSourceHandlers {
      @OnInstruction(InstructionType.MINT, 'chain-a')
      a() {
        calls.push({ handler: 'a', args: [] });
      }
      @OnInstruction(InstructionType.MINT, { source: 'chain-b' })
      b() {
        calls.push({ handler: 'b', args: [] });
      }
    }
    @Module({ imports: [MessageBusTestingModule.forRoot()], providers: [PerSourceHandlers] })
    class PerSourceModule {}
    const app = await start(PerSourceModule);
    const mint = MessageBusMessage.create({
      source: 'S',
      instructionType: InstructionType.MINT,
      serviceToken: 't',
      payload: { value: '1', currency: 'EUR', reference: 'R', chain: 'stellar' },
    });
    await MessageBusTestBus.from(app).dispatch(mint, 'chain-b');
    expect(calls.map((call) => call.handler)).toEqual(['b']);
    await app.close();
  });

  it('refuses a request-scoped handler class at start-up', async () => {
    @Injectable({ scope: Scope.REQUEST })
    class RequestScopedHandler {
      @OnEvent(EventType.NEW_PROFILE)
      handle() {}
    }
    @Module({ imports: [MessageBusTestingModule.forRoot()], providers: [RequestScopedHandler] })
    class RequestScopedModule {}

    const error = await start(RequestScopedModule).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestScopedHandlerError);
    expect((error as Error).message).toContain('RequestScopedHandler.handle');
  });

  it('treats a thrown error as not processed', async () => {
    @Injectable()
    class FailingHandler {
      @OnEvent(EventType.NEW_PROFILE)
      handle() {
        throw new Error('ledger unavailable');
      }
    }
    @Module({ imports: [MessageBusTestingModule.forRoot()], providers: [FailingHandler] })
    class FailingModule {}
    const app = await start(FailingModule);
    const profile = MessageBusMessage.create({
      source: 'IDENTITY',
      event: EventType.NEW_PROFILE,
      serviceToken: 't',
      payload: { title: 'Ms', identifier: 'user-1' },
    });
    const outcome = await MessageBusTestBus.from(app).dispatch(profile);
    expect(outcome.status).toBe('failed');
    expect(outcome.status === 'failed' && (outcome.error as Error).message).toBe(
      'ledger unavailable',
    );
    await app.close();
  });
});
