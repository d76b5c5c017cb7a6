import { MessageBusError } from './message-bus.error';

/** The kinds of Nest enhancer a bus handler can name. */
export type EnhancerKind = 'guard' | 'interceptor' | 'pipe' | 'exception filter';

/**
 * A guard, interceptor, pipe or exception filter class named on a bus handler has no instance
 * in the handler's module, so Nest would run the handler without it (an unguarded handler):
 * the app does not start instead.
 */
export class UnresolvedEnhancerError extends MessageBusError {
  override readonly name: string = 'UnresolvedEnhancerError';

  /**
   * @param kind what the enhancer is
   * @param enhancer the enhancer's class name
   * @param handler the handler as `Class.method`
   */
  constructor(
    readonly kind: EnhancerKind,
    readonly enhancer: string,
    readonly handler: string,
  ) {
    const host = handler.split('.')[0];
    super(
      `The ${kind} ${enhancer} of message handler ${handler} cannot be resolved, because Nest created no instance of it in the handler's module: ` +
        `list ${host} as a class in a module (\`controllers: [${host}]\`, \`providers: [${host}]\` or \`{ provide, useClass: ${host} }\`, not useFactory or useValue) so that Nest creates its enhancers, or bind an instance (e.g. \`new ${enhancer}()\`) instead of the class`,
    );
  }
}
