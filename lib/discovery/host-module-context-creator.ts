import type { ExternalContextCreator } from '@nestjs/core';
import { MessageBusError } from '../errors/message-bus.error';
import { withoutDefaultErrorLog } from './silent-exception-filter-context';

/** The parts of Nest's ExternalContextCreator this view replaces; private in its typings. */
interface ContextCreatorInternals {
  getHostModuleKey?: unknown;
  getContextModuleKey?: unknown;
  filtersContextCreator?: unknown;
}

/**
 * A view of Nest's ExternalContextCreator for the handlers of one host (controller or
 * provider) whose module is known: Nest looks the host's module up among module providers
 * only, so for a controller it finds none and drops every enhancer class the controller
 * names. The view answers that lookup with the host's module instead, and its exception
 * filters leave out Nest's default "ExceptionsHandler" error log (the pipeline logs each
 * failed attempt once itself). Everything else is the creator's own, so global enhancers
 * (`APP_GUARD`, `useGlobalGuards()`, ...) apply as usual. A view rather than a copy of
 * Nest's code: `create()` keeps its own behaviour as Nest evolves; only two lookups change.
 */
export function hostModuleContextCreator(
  creator: ExternalContextCreator,
  moduleKey: string,
): ExternalContextCreator {
  const internals = creator as unknown as ContextCreatorInternals;
  const view = Object.create(creator) as ExternalContextCreator;
  const hostModule = (): string => moduleKey;
  // @nestjs/core 11.1+ asks getHostModuleKey first; earlier 11.x only getContextModuleKey.
  let replaced = false;
  for (const lookup of ['getHostModuleKey', 'getContextModuleKey'] as const) {
    if (typeof internals[lookup] !== 'function') continue;
    Object.defineProperty(view, lookup, { value: hostModule });
    replaced = true;
  }
  if (!replaced) {
    // Without the lookup the enhancers of a controller would be dropped again: refuse to start.
    throw new MessageBusError(
      'The installed @nestjs/core has no ExternalContextCreator.getContextModuleKey() nor getHostModuleKey(), so the message bus cannot apply guards, interceptors, pipes and filters to its handlers: install @nestjs/core 11',
    );
  }
  const silent = withoutDefaultErrorLog(internals.filtersContextCreator);
  if (silent) Object.defineProperty(view, 'filtersContextCreator', { value: silent });
  return view;
}
