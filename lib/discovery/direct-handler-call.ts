import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import type { ApplicationConfig, ExternalContextCreator } from '@nestjs/core';
import type { ParamsFactory } from '@nestjs/core/helpers/external-context-creator';
import { isObservable, lastValueFrom } from 'rxjs';
import type { HandlerInvocation } from '../dispatch/handler-invocation';
import { isThenable } from '../dispatch/thenable';
import { RPC_PAYLOAD_PARAM } from '../dispatch/message-bus-params.factory';
import { MESSAGE_BUS_CONTEXT_TYPE } from '../message-bus.constants';
import { ENHANCER_METADATA } from './enhancer-resolution';

/** Where ExternalContextCreator keeps the app's global enhancers; private in its typings. */
interface CreatorInternals {
  readonly container?: { readonly applicationConfig?: ApplicationConfig };
}

/**
 * One parameter as Nest resolves it: index in the call and how its value is drawn from
 * (payload, context); `type` is the param type's number (a string for a custom decorator).
 */
interface ResolvedParam {
  readonly index: number;
  readonly extractValue: (...args: unknown[]) => unknown;
  readonly type: number | string;
  readonly data?: unknown;
}

/** A handler called directly: `invokeWithPayload` too when it reads nothing but its payload. */
export interface DirectHandlerCall {
  readonly invoke: HandlerInvocation;
  readonly invokeWithPayload?: (payload: object) => unknown;
}

/**
 * The handler called without Nest's context machinery, for a handler that no enhancer reaches
 * (no guard, interceptor, pipe or exception filter on its method, its class, its parameters,
 * nor any global one): what ExternalContextCreator would do for it, minus its promise chain.
 * Its parameter decorators (`@Payload`, `@Ctx`, `@MessageMeta`, `@TokenClaims`, an app's own)
 * are resolved once, here, by Nest's own metadata reader; per message each is one call. A
 * value that is a thenable is awaited and an Observable result unwrapped to its last value, as
 * Nest does; otherwise the handler's return value comes back as it is, without a promise.
 * Undefined when an enhancer applies (or the installed Nest hides its globals): the caller
 * then takes ExternalContextCreator's path.
 */
export function directHandlerCall(
  creator: ExternalContextCreator,
  instance: object,
  methodName: string,
  paramsFactory: ParamsFactory,
  moduleKey: string,
): DirectHandlerCall | undefined {
  const method = (instance as Record<string, unknown>)[methodName] as (
    ...args: unknown[]
  ) => unknown;
  if (hasEnhancers(creator, instance, methodName, method)) return undefined;
  const { argsLength, getParamsMetadata } = creator.getMetadata(
    instance,
    methodName,
    ROUTE_ARGS_METADATA,
    paramsFactory,
    MESSAGE_BUS_CONTEXT_TYPE,
  );
  const params = getParamsMetadata(moduleKey) as readonly ResolvedParam[];
  if (params.length === 0) {
    // Nest passes (payload, context) on as they are when no parameter is decorated.
    return { invoke: (payload, context) => settle(method.call(instance, payload, context)) };
  }
  if (argsLength === 1 && params.length === 1 && isWholePayload(params[0])) {
    // `@Payload()` alone, the usual handler: the payload itself is its argument, no context needed.
    const invokeWithPayload = (payload: object): unknown => settle(method.call(instance, payload));
    return { invoke: invokeWithPayload, invokeWithPayload };
  }
  if (argsLength === 1 && params.length === 1) {
    // One decorated parameter: no argument array per message.
    const { extractValue } = params[0];
    return {
      invoke: (payload, context) => {
        const value = extractValue(payload, context);
        if (isThenable(value)) return resolveThenCall(method, instance, [value]);
        return settle(method.call(instance, value));
      },
    };
  }
  return {
    invoke: (payload, context) => {
      const args = new Array<unknown>(argsLength).fill(undefined);
      let pending = false;
      for (const { index, extractValue } of params) {
        const value = extractValue(payload, context);
        args[index] = value;
        pending ||= isThenable(value);
      }
      // Nest awaits each parameter's value: a custom decorator may answer with a promise.
      if (pending) return resolveThenCall(method, instance, args);
      return settle(method.apply(instance, args));
    },
  };
}

/** `@Payload()` without a property name: the value is the payload as it is (MessageBusParamsFactory). */
function isWholePayload(param: ResolvedParam): boolean {
  return param.type === RPC_PAYLOAD_PARAM && param.data === undefined;
}

async function resolveThenCall(
  method: (...args: unknown[]) => unknown,
  instance: object,
  args: unknown[],
): Promise<unknown> {
  const values = await Promise.all(args);
  return unwrap(await method.apply(instance, values));
}

/** The handler's result as Nest would settle it: awaited when a thenable, unwrapped when an Observable. */
function settle(result: unknown): unknown {
  if (isThenable(result)) return Promise.resolve(result).then(unwrap);
  return isObservable(result) ? lastValueFrom(result) : result;
}

function unwrap(result: unknown): unknown {
  return isObservable(result) ? lastValueFrom(result) : result;
}

function hasEnhancers(
  creator: ExternalContextCreator,
  instance: object,
  methodName: string,
  method: object,
): boolean {
  const config = (creator as unknown as CreatorInternals).container?.applicationConfig;
  if (!config) return true;
  const globals = [
    config.getGlobalGuards(),
    config.getGlobalInterceptors(),
    config.getGlobalPipes(),
    config.getGlobalFilters(),
    config.getGlobalRequestGuards(),
    config.getGlobalRequestInterceptors(),
    config.getGlobalRequestPipes(),
    config.getGlobalRequestFilters(),
  ];
  if (globals.some((list) => list.length > 0)) return true;
  const classRef = instance.constructor;
  for (const [key] of ENHANCER_METADATA) {
    if (declared(key, classRef) || declared(key, method)) return true;
  }
  const params = (Reflect.getMetadata(ROUTE_ARGS_METADATA, classRef, methodName) ?? {}) as Record<
    string,
    { pipes?: unknown[] }
  >;
  return Object.values(params).some((param) => (param.pipes?.length ?? 0) > 0);
}

function declared(key: string, target: object): boolean {
  const value: unknown = Reflect.getMetadata(key, target);
  return Array.isArray(value) && value.length > 0;
}
