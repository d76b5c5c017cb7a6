import type { ArgumentsHost } from '@nestjs/common';
import { RpcExceptionsHandler } from '@nestjs/microservices/exceptions/rpc-exceptions-handler';
import { throwError, type Observable } from 'rxjs';
import { MessageBusContext } from '../dispatch/message-bus.context';

const SILENCED = Symbol.for('nestjs-message-bus:silent-rpc-exceptions-handler');

type Handle = (exception: unknown, host: ArgumentsHost) => Observable<unknown>;
type PatchedPrototype = { handle: Handle; [SILENCED]?: true };

/**
 * Makes the exception handling Nest puts around every `@MessagePattern` / `@EventPattern`
 * handler leave the bus's deliveries to the pipeline. Nest builds each pattern handler (in
 * `ListenersController`, with an `RpcExceptionsHandler` per handler) before any server sees it
 * and gives the server no way in, so the default branch of `RpcExceptionsHandler.handle` is
 * changed, once per process, for calls whose RPC context is a `MessageBusContext` only: the
 * user's RPC exception filters run exactly as before and their answer is kept (a filter may
 * still log), but where none catches the error it is rethrown unchanged, instead of being
 * logged at ERROR as "RpcExceptionsHandler" and replaced by `{ status, message }`. The pipeline
 * then sees the error itself (a `DeadLetter`, a `RetryLater`, its name and message) and the
 * consumer logs the attempt once. Other servers and transports keep Nest's handling.
 */
export function silenceDefaultRpcErrorLog(): void {
  const prototype = RpcExceptionsHandler.prototype as unknown as PatchedPrototype;
  if (prototype[SILENCED]) return;
  const nestHandle = prototype.handle;
  Object.defineProperty(prototype, SILENCED, { value: true });
  prototype.handle = function (this: RpcExceptionsHandler, exception, host) {
    if (!isBusDelivery(host)) return nestHandle.call(this, exception, host);
    const answer = this.invokeCustomFilters(exception, host) as Observable<unknown> | null;
    return answer ?? throwError(() => exception);
  };
}

function isBusDelivery(host: ArgumentsHost): boolean {
  return host.getType() === 'rpc' && host.switchToRpc().getContext() instanceof MessageBusContext;
}
