import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';

/**
 * Stands in for a client whose section is missing from the module options, so that
 * injecting it still works and the first call says exactly which setting to add.
 * Only calls to the client's own methods throw; `close()` is a no-op, anything else is undefined,
 * so Nest's lifecycle probing never trips over it.
 */
export function unconfiguredClient<T extends object>(
  clientClass: abstract new (...args: never[]) => T,
  setting: 'sqs' | 'kafka',
): T {
  const prototype = clientClass.prototype as object;
  return new Proxy(Object.create(prototype) as T, {
    get(_target, property) {
      if (property === 'close') return async () => undefined;
      if (typeof property === 'string' && property !== 'constructor' && property in prototype) {
        // Throw on the call, not the lookup: Nest's discovery reads methods without calling them.
        return () => {
          throw new MessageBusConfigurationError(
            setting,
            `is not configured, so ${clientClass.name}.${property}() cannot run: pass ${setting} options to MessageBusModule.forRoot() or forRootAsync()`,
          );
        };
      }
      return undefined;
    },
  });
}
