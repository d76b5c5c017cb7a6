import {
  Catch,
  Controller,
  Injectable,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
  type CallHandler,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  type NestInterceptor,
  type PipeTransform,
  type Type,
} from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { tap } from 'rxjs';
import {
  EventType,
  InstructionType,
  MessageBusContext,
  MessageBusMessage,
  OnEvent,
  OnInstruction,
} from 'nestjs-message-bus';
import { buildPaymentMessage } from './payment-message';

/**
 * The enhancer matrix of issue 9: a guard, an interceptor, a pipe and an exception filter on
 * a `@Controller()` and on an `@Injectable()` provider, each once on the method (the pipe as a
 * parameter pipe) and once on the class. Each host handles one message type from one source,
 * so that one app runs all four on two queues or topics:
 *
 * | host                 | handles                         | from      |
 * |----------------------|---------------------------------|-----------|
 * | ControllerMethodLevel | instruction PAYMENT            | `first`   |
 * | ControllerClassLevel  | instruction PAYMENT            | `second`  |
 * | ProviderMethodLevel   | event TRANSACTION_STATUS_UPDATE | `first`   |
 * | ProviderClassLevel    | event TRANSACTION_STATUS_UPDATE | `second`  |
 *
 * Every handler takes `reference` through the pipe (which upper-cases it) and throws
 * `DuplicateDeliveryError` for a reference starting with `dup`, which the filter swallows.
 */
export type MatrixHost =
  'ControllerMethodLevel' | 'ControllerClassLevel' | 'ProviderMethodLevel' | 'ProviderClassLevel';

export const MATRIX_HOSTS: readonly MatrixHost[] = [
  'ControllerMethodLevel',
  'ControllerClassLevel',
  'ProviderMethodLevel',
  'ProviderClassLevel',
];

export interface EnhancerMatrixOptions {
  /** The two sources (queues or topics) the hosts are narrowed to. */
  readonly first: string;
  readonly second: string;
  /** The `meta_data.token` the guard lets through. */
  readonly serviceToken: string;
}

export interface EnhancerMatrix {
  readonly controllers: Type<unknown>[];
  readonly providers: Type<unknown>[];
  /** What the enhancers and handlers did, in order, e.g. `guard:ControllerClassLevel`. */
  readonly seen: string[];
  /** The source a host listens to. */
  sourceOf(host: MatrixHost): string;
  /** A message that reaches `host` (on `sourceOf(host)`), with the given token. */
  messageFor(host: MatrixHost, reference: string, token?: string): MessageBusMessage;
  /** What `seen` holds after `host` handled an allowed message with this reference. */
  handledTrail(host: MatrixHost, reference: string): string[];
}

/** Thrown by a handler for a message it has seen before; the matrix's filter swallows it. */
export class DuplicateDeliveryError extends Error {
  override readonly name = 'DuplicateDeliveryError';
}

/** Fresh classes per call, so each suite's guard checks its own token and records its own trail. */
export function enhancerMatrix(options: EnhancerMatrixOptions): EnhancerMatrix {
  const seen: string[] = [];

  @Injectable()
  class TokenGuard implements CanActivate {
    canActivate(context: ExecutionContext): boolean {
      seen.push(`guard:${context.getClass().name}`);
      const bus = context.switchToRpc().getContext<MessageBusContext>();
      return bus.getMetaData().token === options.serviceToken;
    }
  }

  @Injectable()
  class MarkInterceptor implements NestInterceptor {
    intercept(context: ExecutionContext, next: CallHandler) {
      const host = context.getClass().name;
      seen.push(`interceptor:before:${host}`);
      return next.handle().pipe(tap(() => seen.push(`interceptor:after:${host}`)));
    }
  }

  /** Upper-cases text and leaves everything else (a class-level pipe sees `@Ctx()` too). */
  class UpperPipe implements PipeTransform<unknown, unknown> {
    transform(value: unknown): unknown {
      return typeof value === 'string' ? value.toUpperCase() : value;
    }
  }

  @Catch(DuplicateDeliveryError)
  class SwallowDuplicateFilter implements ExceptionFilter {
    catch(_error: DuplicateDeliveryError, host: { getType(): string }) {
      seen.push(`filter:${host.getType()}`);
      return 'duplicate ignored';
    }
  }

  const handle = (host: string, reference: string, context: MessageBusContext): void => {
    seen.push(`handler:${host}:${reference}:${context.getSource()}`);
    if (reference.startsWith('DUP')) throw new DuplicateDeliveryError(`${reference} seen before`);
  };

  @Controller()
  class ControllerMethodLevel {
    @OnInstruction(InstructionType.PAYMENT, options.first)
    @UseGuards(TokenGuard)
    @UseInterceptors(MarkInterceptor)
    @UseFilters(SwallowDuplicateFilter)
    onPayment(
      @Payload('reference', UpperPipe) reference: string,
      @Ctx() context: MessageBusContext,
    ) {
      handle('ControllerMethodLevel', reference, context);
    }
  }

  @Controller()
  @UseGuards(TokenGuard)
  @UseInterceptors(MarkInterceptor)
  @UsePipes(UpperPipe)
  @UseFilters(SwallowDuplicateFilter)
  class ControllerClassLevel {
    @OnInstruction(InstructionType.PAYMENT, options.second)
    onPayment(@Payload('reference') reference: string, @Ctx() context: MessageBusContext) {
      handle('ControllerClassLevel', reference, context);
    }
  }

  @Injectable()
  class ProviderMethodLevel {
    @OnEvent(EventType.TRANSACTION_STATUS_UPDATE, options.first)
    @UseGuards(TokenGuard)
    @UseInterceptors(MarkInterceptor)
    @UseFilters(SwallowDuplicateFilter)
    onStatus(
      @Payload('reference', UpperPipe) reference: string,
      @Ctx() context: MessageBusContext,
    ) {
      handle('ProviderMethodLevel', reference, context);
    }
  }

  @Injectable()
  @UseGuards(TokenGuard)
  @UseInterceptors(MarkInterceptor)
  @UsePipes(UpperPipe)
  @UseFilters(SwallowDuplicateFilter)
  class ProviderClassLevel {
    @OnEvent(EventType.TRANSACTION_STATUS_UPDATE, options.second)
    onStatus(@Payload('reference') reference: string, @Ctx() context: MessageBusContext) {
      handle('ProviderClassLevel', reference, context);
    }
  }

  const sourceOf = (host: MatrixHost): string =>
    host === 'ControllerMethodLevel' || host === 'ProviderMethodLevel'
      ? options.first
      : options.second;

  return {
    controllers: [ControllerMethodLevel, ControllerClassLevel],
    providers: [ProviderMethodLevel, ProviderClassLevel],
    seen,
    sourceOf,
    messageFor: (host, reference, token = options.serviceToken) =>
      host.startsWith('Controller')
        ? buildPaymentMessage({ reference, payerName: 'Jane Doe', serviceToken: token })
        : MessageBusMessage.create({
            source: 'LEDGER_SERVICE',
            event: EventType.TRANSACTION_STATUS_UPDATE,
            serviceToken: token,
            payload: { reference, status: 'COMPLETED' },
          }),
    handledTrail: (host, reference) => [
      `guard:${host}`,
      `interceptor:before:${host}`,
      `handler:${host}:${reference.toUpperCase()}:${sourceOf(host)}`,
      `interceptor:after:${host}`,
    ],
  };
}
