import {
  Controller,
  createParamDecorator,
  Injectable,
  Module,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR, ExternalContextCreator } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import {
  EventType,
  InstructionType,
  MessageBusContext,
  MessageMeta,
  MetaData,
  OnEvent,
  OnInstruction,
  PaymentPayload,
  TransactionStatusEventPayload,
} from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { EMPTY, of } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MessageHandlerRegistry } from '../../lib/discovery/message-handler.registry';
import { paymentMessage, statusEvent } from './fixtures/messages';

const calls: Array<{ handler: string; args: unknown[] }> = [];

/** A custom parameter decorator whose value comes as a promise: Nest awaits it, so must the direct call. */
const DeferredReference = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  Promise.resolve(context.switchToRpc().getData<PaymentPayload>().reference),
);

/** The handlers' answers for the next message, by reference. */
const answers = new Map<string, () => unknown>();

@Controller()
class PaymentsController {
  @OnInstruction(InstructionType.PAYMENT)
  onPayment(
    @Payload() payment: PaymentPayload,
    @Ctx() context: MessageBusContext,
    @MessageMeta() meta: MetaData,
    @Payload('reference') reference: string,
    @DeferredReference() deferred: string,
  ) {
    calls.push({ handler: 'controller', args: [payment, context, meta, reference, deferred] });
    return answers.get(payment.reference)?.();
  }
}

@Injectable()
class StatusProvider {
  @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
  onStatus(payload: TransactionStatusEventPayload, context: MessageBusContext) {
    calls.push({ handler: 'provider', args: [payload, context] });
    return answers.get(payload.reference)?.();
  }
}

@Module({
  imports: [MessageBusTestingModule.forRoot()],
  controllers: [PaymentsController],
  providers: [StatusProvider],
})
class DirectModule {}

async function start(module: unknown) {
  const moduleRef = await Test.createTestingModule({ imports: [module as never] }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('handlers without enhancers, called directly', () => {
  afterEach(() => {
    calls.length = 0;
    answers.clear();
    vi.restoreAllMocks();
  });

  it("builds no Nest context for them, and resolves every parameter as Nest's context would", async () => {
    const create = vi.spyOn(ExternalContextCreator.prototype, 'create');
    const app = await start(DirectModule);
    expect(create).not.toHaveBeenCalled();
    const bus = MessageBusTestBus.from(app);
    const message = paymentMessage('REF-D1');

    expect(await bus.dispatch(message, 'payments')).toMatchObject({ status: 'handled' });
    const [payment, context, meta, reference, deferred] = calls[0].args as [
      PaymentPayload,
      MessageBusContext,
      MetaData,
      string,
      string,
    ];
    expect(payment).toBeInstanceOf(PaymentPayload);
    expect(context).toBeInstanceOf(MessageBusContext);
    expect(context.getSource()).toBe('payments');
    expect(meta.idempotency_key).toBe(message.meta_data.idempotency_key);
    expect(reference).toBe('REF-D1');
    expect(deferred).toBe('REF-D1');

    expect(await bus.dispatch(statusEvent('REF-D2'))).toMatchObject({ status: 'handled' });
    const [status, statusContext] = calls[1].args as [TransactionStatusEventPayload, unknown];
    expect(status).toBeInstanceOf(TransactionStatusEventPayload);
    expect(statusContext).toBeInstanceOf(MessageBusContext);
    await app.close();
  });

  const hosts = [
    { host: 'controller', message: paymentMessage },
    { host: 'provider', message: (reference: string) => statusEvent(reference) },
  ];

  describe.each(hosts)('on a $host', ({ message }) => {
    it('fails the delivery with what the handler throws, at once or later', async () => {
      const app = await start(DirectModule);
      const bus = MessageBusTestBus.from(app);
      answers.set('THROWS', () => {
        throw new Error('thrown at once');
      });
      answers.set('REJECTS', () => Promise.reject(new Error('rejected later')));

      const thrown = await bus.dispatch(message('THROWS'));
      const rejected = await bus.dispatch(message('REJECTS'));
      expect(thrown).toMatchObject({ status: 'failed', error: { message: 'thrown at once' } });
      expect(rejected).toMatchObject({ status: 'failed', error: { message: 'rejected later' } });
      await app.close();
    });

    it('waits for a returned promise or Observable, and fails on an empty Observable as Nest does', async () => {
      const app = await start(DirectModule);
      const bus = MessageBusTestBus.from(app);
      const done: string[] = [];
      answers.set('SLOW', () =>
        new Promise((resolve) => setTimeout(resolve, 5)).then(() => done.push('slow')),
      );
      answers.set('OBSERVED', () => of(1, 2));
      answers.set('EMPTY', () => EMPTY);

      expect(await bus.dispatch(message('SLOW'))).toMatchObject({ status: 'handled' });
      expect(done).toEqual(['slow']);
      expect(await bus.dispatch(message('OBSERVED'))).toMatchObject({ status: 'handled' });
      expect(await bus.dispatch(message('EMPTY'))).toMatchObject({
        status: 'failed',
        error: { name: 'EmptyError' },
      });
      await app.close();
    });
  });
});

const trail: string[] = [];

class TrailInterceptor implements NestInterceptor {
  constructor(private readonly label: string) {}

  intercept(_context: ExecutionContext, next: CallHandler) {
    trail.push(this.label);
    return next.handle();
  }
}

@Injectable()
class GlobalInterceptor extends TrailInterceptor {
  constructor() {
    super('global');
  }
}

@Controller()
class InterceptedController {
  @OnInstruction(InstructionType.PAYMENT)
  @UseInterceptors(new TrailInterceptor('method'))
  onPayment() {
    trail.push('handler');
  }
}

describe("handlers with an enhancer keep Nest's context", () => {
  afterEach(() => {
    trail.length = 0;
  });

  it('runs a method interceptor around a controller handler', async () => {
    @Module({ imports: [MessageBusTestingModule.forRoot()], controllers: [InterceptedController] })
    class InterceptedModule {}
    const app = await start(InterceptedModule);
    expect(await MessageBusTestBus.from(app).dispatch(paymentMessage('REF-I'))).toMatchObject({
      status: 'handled',
    });
    expect(trail).toEqual(['method', 'handler']);
    await app.close();
  });

  it('runs a global interceptor (APP_INTERCEPTOR) around a provider handler that names none', async () => {
    @Injectable()
    class PlainProvider {
      @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
      onStatus() {
        trail.push('handler');
      }
    }
    @Module({
      imports: [MessageBusTestingModule.forRoot()],
      providers: [PlainProvider, { provide: APP_INTERCEPTOR, useClass: GlobalInterceptor }],
    })
    class GloballyInterceptedModule {}
    const app = await start(GloballyInterceptedModule);
    expect(await MessageBusTestBus.from(app).dispatch(statusEvent('REF-G'))).toMatchObject({
      status: 'handled',
    });
    expect(trail).toEqual(['global', 'handler']);
    await app.close();
  });
});

@Controller()
class OneParameterController {
  @OnInstruction(InstructionType.PAYMENT)
  onPayment(@Payload() payment: PaymentPayload) {
    calls.push({ handler: 'one-parameter', args: [payment] });
  }

  @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
  onStatus(@DeferredReference() reference: string) {
    calls.push({ handler: 'one-deferred-parameter', args: [reference] });
  }
}

@Module({
  imports: [MessageBusTestingModule.forRoot()],
  controllers: [OneParameterController],
})
class OneParameterModule {}

describe('handlers with a single decorated parameter, called directly', () => {
  afterEach(() => void (calls.length = 0));

  it('get that one value, awaited when it comes as a promise', async () => {
    const app = await start(OneParameterModule);
    const bus = MessageBusTestBus.from(app);

    expect(await bus.dispatch(paymentMessage('REF-O1'), 'payments')).toMatchObject({
      status: 'handled',
    });
    expect(await bus.dispatch(statusEvent('REF-O2'))).toMatchObject({ status: 'handled' });

    expect(calls).toHaveLength(2);
    expect(calls[0].args).toHaveLength(1);
    expect(calls[0].args[0]).toBeInstanceOf(PaymentPayload);
    expect((calls[0].args[0] as PaymentPayload).reference).toBe('REF-O1');
    expect(calls[1].args).toEqual(['REF-O2']);
    await app.close();
  });
});

describe('a handler taking its payload alone', () => {
  it('is called with the payload and no context built, unlike one reading anything else', async () => {
    const app = await start(OneParameterModule);
    const registry = app.get(MessageHandlerRegistry);
    const [payment] = registry.find('instruction', InstructionType.PAYMENT, 'payments');
    const [deferred] = registry.find('event', EventType.TRANSACTION_STATUS_UPDATE, 'payments');

    // `@Payload()` alone: the dispatcher calls invokeWithPayload and builds no MessageBusContext.
    expect(payment.invokeWithPayload).toBeTypeOf('function');
    // A custom decorator reads the Nest context: the handler gets one.
    expect(deferred.invokeWithPayload).toBeUndefined();
    await app.close();

    const multi = await start(DirectModule);
    const [many] = multi
      .get(MessageHandlerRegistry)
      .find('instruction', InstructionType.PAYMENT, 'payments');
    expect(many.invokeWithPayload).toBeUndefined();
    await multi.close();
  });
});
