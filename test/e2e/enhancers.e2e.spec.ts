import {
  Catch,
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
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Payload, RpcException } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import {
  InstructionType,
  MessageBusContext,
  OnInstruction,
  type PaymentPayload,
} from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { map, tap } from 'rxjs';
import { paymentMessage, SERVICE_TOKEN } from './fixtures/messages';

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
