import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import type { Module } from '@nestjs/core/injector/module';
import { UnresolvedEnhancerError, type EnhancerKind } from '../errors/unresolved-enhancer.error';

/** The metadata keys of the four enhancer kinds, as Nest's decorators record them. */
export const ENHANCER_METADATA: ReadonlyArray<readonly [string, EnhancerKind]> = [
  [GUARDS_METADATA, 'guard'],
  [INTERCEPTORS_METADATA, 'interceptor'],
  [PIPES_METADATA, 'pipe'],
  [EXCEPTION_FILTERS_METADATA, 'exception filter'],
];

/**
 * Fails when an enhancer class named on a handler (on its class, its method or one of its
 * parameters) has no instance among the injectables of the handler's module: Nest resolves
 * enhancer classes there and leaves out, without a word, any it does not find. Enhancer
 * instances (`@UseGuards(new X())`) need no resolution.
 *
 * @param handler `Class.method`, for the error
 */
export function assertEnhancersResolve(
  host: Module | undefined,
  instance: object,
  methodName: string,
  handler: string,
): void {
  const classRef = instance.constructor;
  const method = (instance as Record<string, unknown>)[methodName] as object;
  const check = (kind: EnhancerKind, enhancer: unknown): void => {
    if (typeof enhancer === 'function' && !host?.injectables.has(enhancer))
      throw new UnresolvedEnhancerError(kind, enhancer.name || 'an anonymous class', handler);
  };
  for (const [key, kind] of ENHANCER_METADATA) {
    for (const enhancer of [...listed(key, classRef), ...listed(key, method)])
      check(kind, enhancer);
  }
  const params = (Reflect.getMetadata(ROUTE_ARGS_METADATA, classRef, methodName) ?? {}) as Record<
    string,
    { pipes?: unknown[] }
  >;
  for (const param of Object.values(params))
    for (const pipe of param.pipes ?? []) check('pipe', pipe);
}

function listed(key: string, target: object): unknown[] {
  const value: unknown = Reflect.getMetadata(key, target);
  return Array.isArray(value) ? value : [];
}
