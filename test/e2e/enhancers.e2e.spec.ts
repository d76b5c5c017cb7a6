import {
  Catch,
  Controller,
  Injectable,
  Module,
  UseFilters,
  UseGuards,
  UseInterceptors,
  type ArgumentsHost,
  type CallHandler,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type NestInterceptor,
  type PipeTransform,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { Payload, RpcException } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import {
  EventType,
  InstructionType,
  MessageBusContext,
  OnEvent,
  OnInstruction,
  UnresolvedEnhancerError,
  type PaymentPayload,
} from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { map, tap } from 'rxjs';
import { enhancerMatrix, MATRIX_HOSTS } from '../support/enhancer-matrix';
import { paymentMessage, SERVICE_TOKEN, statusEvent } from './fixtures/messages';

const seen: string[] = [];

/** Lets through only messages whose meta_data.token is the expected service token. */
@Injectable()
class ServiceTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    seen.push(`guard:${context.getType()}`);
    const bus = context.switchToRpc().getContext<MessageBusContext>();
    return bus.getMetaData().token === SERVICE_TOKEN;
  }
}

@Injectable()
class TimingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    const payload = context.switchToRpc().getData<PaymentPayload>();
    seen.push(`interceptor:before:${payload.reference}`);
    return next.handle().pipe(tap(() => seen.push('interceptor:after')));
  }
}

/** A global interceptor, registered the way apps register them for HTTP. */
@Injectable()
class GlobalInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    seen.push(`global:${context.getType()}`);
    return next.handle().pipe(map((value: unknown) => value));
  }
}

class UpperCasePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return value.toUpperCase();
  }
}

class DuplicatePaymentError extends Error {}

@Catch(DuplicatePaymentError)
class DuplicatePaymentFilter implements ExceptionFilter {
  catch(_error: DuplicatePaymentError, host: ArgumentsHost) {
    // A duplicate is already processed: the filter swallows the error, so the message is acknowledged.
    seen.push(`filter:${host.getType()}`);
    return 'duplicate ignored';
  }
}

@Catch(RpcException)
class RpcFailureFilter implements ExceptionFilter {
  catch(error: RpcException) {
    seen.push(`rpc-filter:${error.getError() as string}`);
    throw error;
  }
}

@Injectable()
class PaymentHandlers {
  @OnInstruction(InstructionType.PAYMENT)
  @UseGuards(ServiceTokenGuard)
  @UseInterceptors(TimingInterceptor)
  @UseFilters(DuplicatePaymentFilter, RpcFailureFilter)
  handle(@Payload('currency', UpperCasePipe) currency: string, @Payload() payment: PaymentPayload) {
    seen.push(`handler:${currency}`);
    if (payment.reference === 'DUPLICATE') throw new DuplicatePaymentError('seen before');
    if (payment.reference === 'BROKEN') throw new RpcException('ledger down');
  }
}

@Module({
  imports: [MessageBusTestingModule.forRoot()],
  providers: [PaymentHandlers, { provide: APP_INTERCEPTOR, useClass: GlobalInterceptor }],
})
class EnhancedModule {}

describe('Nest enhancers on bus handlers', () => {
  let bus: MessageBusTestBus;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const app = await Test.createTestingModule({ imports: [EnhancedModule] }).compile();
    await app.init();
    bus = MessageBusTestBus.from(app);
    close = () => app.close();
  });
  afterAll(() => close());

  it('runs guards, global and method interceptors and pipes in the rpc context', async () => {
    seen.length = 0;
    const outcome = await bus.dispatch(paymentMessage('REF-1', { currency: 'eur' }));

    expect(outcome.status).toBe('handled');
    expect(seen).toEqual([
      'guard:rpc',
      'global:rpc',
      'interceptor:before:REF-1',
      'handler:EUR',
      'interceptor:after',
    ]);
  });

  it('rejects a message a guard refuses, without calling the handler', async () => {
    seen.length = 0;
    const forged = paymentMessage('REF-2').toDict();
    forged.meta_data.token = 'forged';

    const outcome = await bus.dispatch(forged);

    expect(outcome).toMatchObject({ status: 'rejected', reason: 'forbidden' });
    expect(seen).toEqual(['guard:rpc']);
  });

  it('lets an exception filter settle an error, so the message counts as handled', async () => {
    seen.length = 0;
    const outcome = await bus.dispatch(paymentMessage('DUPLICATE'));

    expect(outcome.status).toBe('handled');
    expect(seen).toContain('filter:rpc');
  });

  it('keeps the message unprocessed when a filter rethrows an RpcException', async () => {
    seen.length = 0;
    const outcome = await bus.dispatch(paymentMessage('BROKEN'));

    expect(outcome.status).toBe('failed');
    expect(seen).toContain('rpc-filter:ledger down');
  });
});

describe('Nest enhancers on controllers and providers, on the method and on the class', () => {
  const matrix = enhancerMatrix({
    first: 'first-queue',
    second: 'second-queue',
    serviceToken: SERVICE_TOKEN,
  });
  let bus: MessageBusTestBus;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const app = await Test.createTestingModule({
      imports: [MessageBusTestingModule.forRoot()],
      controllers: matrix.controllers,
      providers: matrix.providers,
    }).compile();
    await app.init();
    bus = MessageBusTestBus.from(app);
    close = () => app.close();
  });
  afterAll(() => close());

  describe.each(MATRIX_HOSTS)('%s', (host) => {
    it('runs the guard, the interceptor and the pipe around the handler', async () => {
      matrix.seen.length = 0;
      const outcome = await bus.dispatch(matrix.messageFor(host, 'ok-1'), matrix.sourceOf(host));

      expect(outcome.status).toBe('handled');
      expect(matrix.seen).toEqual(matrix.handledTrail(host, 'ok-1'));
    });

    it('rejects as forbidden what the guard refuses, without calling the handler', async () => {
      matrix.seen.length = 0;
      const forged = matrix.messageFor(host, 'ok-2', 'forged.token');

      const outcome = await bus.dispatch(forged, matrix.sourceOf(host));

      expect(outcome).toMatchObject({ status: 'rejected', reason: 'forbidden' });
      expect(matrix.seen).toEqual([`guard:${host}`]);
    });

    it('lets the exception filter settle the error, so the message counts as handled', async () => {
      matrix.seen.length = 0;
      const outcome = await bus.dispatch(matrix.messageFor(host, 'dup-1'), matrix.sourceOf(host));

      expect(outcome.status).toBe('handled');
      expect(matrix.seen).toContain('filter:rpc');
      expect(matrix.seen).toContain(`handler:${host}:DUP-1:${matrix.sourceOf(host)}`);
    });
  });
});

const globalTrail: string[] = [];

/** An APP_GUARD, which Nest creates in the module that provides it. */
@Injectable()
class AppGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    globalTrail.push(`app-guard:${context.getClass().name}`);
    return context.switchToRpc().getData<{ reference: string }>().reference !== 'DENY-APP';
  }
}

/** A guard instance given to `app.useGlobalGuards()`. */
class InstanceGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    globalTrail.push(`instance-guard:${context.getClass().name}`);
    return context.switchToRpc().getData<{ reference: string }>().reference !== 'DENY-INSTANCE';
  }
}

/** An interceptor instance given to `app.useGlobalInterceptors()`. */
class InstanceInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler) {
    globalTrail.push(`instance-interceptor:${context.getClass().name}`);
    return next.handle();
  }
}

@Controller()
class GloballyGuardedController {
  @OnInstruction(InstructionType.PAYMENT)
  onPayment(@Payload('reference') reference: string) {
    globalTrail.push(`handler:GloballyGuardedController:${reference}`);
  }
}

@Injectable()
class GloballyGuardedProvider {
  @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
  onStatus(@Payload('reference') reference: string) {
    globalTrail.push(`handler:GloballyGuardedProvider:${reference}`);
  }
}

describe('global enhancers on bus handlers (APP_GUARD, useGlobalGuards, useGlobalInterceptors)', () => {
  let bus: MessageBusTestBus;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [MessageBusTestingModule.forRoot()],
      controllers: [GloballyGuardedController],
      providers: [GloballyGuardedProvider, { provide: APP_GUARD, useClass: AppGuard }],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalGuards(new InstanceGuard());
    app.useGlobalInterceptors(new InstanceInterceptor());
    await app.init();
    bus = MessageBusTestBus.from(app);
    close = () => app.close();
  });
  afterAll(() => close());

  const hosts = [
    { host: 'GloballyGuardedController', message: paymentMessage },
    { host: 'GloballyGuardedProvider', message: (reference: string) => statusEvent(reference) },
  ];

  describe.each(hosts)('$host', ({ host, message }) => {
    it('runs every global guard and interceptor around the handler', async () => {
      globalTrail.length = 0;
      const outcome = await bus.dispatch(message('GLOBAL-OK'));

      expect(outcome.status).toBe('handled');
      expect(globalTrail).toEqual([
        `app-guard:${host}`,
        `instance-guard:${host}`,
        `instance-interceptor:${host}`,
        `handler:${host}:GLOBAL-OK`,
      ]);
    });

    it.each([
      ['APP_GUARD', 'DENY-APP'],
      ['useGlobalGuards()', 'DENY-INSTANCE'],
    ])('rejects as forbidden what the %s guard refuses', async (_guard, reference) => {
      globalTrail.length = 0;
      const outcome = await bus.dispatch(message(reference));

      expect(outcome).toMatchObject({ status: 'rejected', reason: 'forbidden' });
      expect(globalTrail.filter((line) => line.startsWith('handler:'))).toEqual([]);
    });
  });
});

@Injectable()
class FactoryGuard implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

/** Provided through useFactory, so Nest never scans its enhancers. */
class FactoryProvidedHandlers {
  @OnInstruction(InstructionType.PAYMENT)
  @UseGuards(FactoryGuard)
  onPayment() {}
}

/** Provided through useValue, with an interceptor on the class. */
@UseInterceptors(TimingInterceptor)
class ValueProvidedHandlers {
  @OnInstruction(InstructionType.PAYMENT)
  onPayment() {}
}

/** Provided through useFactory, with a parameter pipe. */
class FactoryProvidedPipedHandlers {
  @OnInstruction(InstructionType.PAYMENT)
  onPayment(@Payload('currency', UpperCasePipe) currency: string) {
    return currency;
  }
}

describe('an enhancer that cannot be resolved', () => {
  it.each([
    {
      provider: {
        provide: FactoryProvidedHandlers,
        useFactory: () => new FactoryProvidedHandlers(),
      },
      message:
        'The guard FactoryGuard of message handler FactoryProvidedHandlers.onPayment cannot be resolved',
    },
    {
      provider: { provide: 'VALUE_HANDLERS', useValue: new ValueProvidedHandlers() },
      message:
        'The interceptor TimingInterceptor of message handler ValueProvidedHandlers.onPayment cannot be resolved',
    },
    {
      provider: {
        provide: FactoryProvidedPipedHandlers,
        useFactory: () => new FactoryProvidedPipedHandlers(),
      },
      message:
        'The pipe UpperCasePipe of message handler FactoryProvidedPipedHandlers.onPayment cannot be resolved',
    },
  ])(
    'fails the start-up, naming it, its handler and what to do: $message',
    async ({ provider, message }) => {
      const app = await Test.createTestingModule({
        imports: [MessageBusTestingModule.forRoot()],
        providers: [provider],
      }).compile();

      const error: unknown = await app.init().then(
        () => undefined,
        (failure: unknown) => failure,
      );
      // Nothing started (module init failed); close() would only rethrow the init error.

      expect(error).toBeInstanceOf(UnresolvedEnhancerError);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).toContain('so that Nest creates its enhancers');
    },
  );
});
