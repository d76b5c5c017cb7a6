import { isObservable, lastValueFrom } from 'rxjs';
import type { MessageBusContext } from './message-bus.context';

/**
 * How the pipeline calls one handler: the validated payload and its context in, the result
 * out: the value itself when the handler answered at once, else a promise of the settled
 * value. A failure is a rejection or, from a handler called directly, a throw.
 */
export type HandlerInvocation = (payload: object, context: MessageBusContext) => unknown;

/** A handler call as Nest builds it, with its guards, interceptors, pipes and filters around it. */
export type NestHandlerCall = (payload: object, context: MessageBusContext) => unknown;

/**
 * The one place that turns a Nest-built handler call (the module's handlers through
 * `ExternalContextCreator`, `MessageBusServer`'s patterns through Nest's microservice context)
 * into a `HandlerInvocation`: the call is awaited, and an Observable result is unwrapped to its
 * last value, because Nest's RPC exception handling and RPC filters answer with an Observable
 * (`throwError`) whose error must reject the invocation.
 */
export function toHandlerInvocation(call: NestHandlerCall): HandlerInvocation {
  return async (payload, context) => {
    const result: unknown = await call(payload, context);
    return isObservable(result) ? lastValueFrom(result, { defaultValue: undefined }) : result;
  };
}
