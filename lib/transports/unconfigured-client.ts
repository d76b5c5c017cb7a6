import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';

/** The methods of each client that return a value, not a promise: they throw; every other method rejects. */
const SYNCHRONOUS_METHODS: Readonly<Record<'sqs' | 'kafka', readonly string[]>> = {
  sqs: ['resolveQueueUrl'],
  kafka: ['kafkaConfig', 'createKafka'],
};

/**
 * Stands in for a client whose section is missing from the module options, so that
 * injecting it still works and the first call says exactly which setting to add.
 * Only calls to the client's own methods fail: a method that returns a promise rejects, a
 * synchronous one throws. `close()` is a no-op, anything else is undefined, so Nest's
 * lifecycle probing never trips over it.
 */
export function unconfiguredClient<T extends object>(
  clientClass: abstract new (...args: never[]) => T,
  setting: 'sqs' | 'kafka',
): T {
  const prototype = clientClass.prototype as object;
  const synchronous = SYNCHRONOUS_METHODS[setting];
  return new Proxy(Object.create(prototype) as T, {
    get(_target, property) {
      if (property === 'close') return async () => undefined;
      if (typeof property === 'string' && property !== 'constructor' && property in prototype) {
        // Fail on the call, not the lookup: Nest's discovery reads methods without calling them.
        const notConfigured = () =>
          new MessageBusConfigurationError(
            setting,
            `is not configured, so ${clientClass.name}.${property}() cannot run: pass ${setting} options to MessageBusModule.forRoot() or forRootAsync()`,
          );
        if (synchronous.includes(property)) {
          return () => {
            throw notConfigured();
          };
        }
        return () => Promise.reject(notConfigured());
      }
      return undefined;
    },
  });
}
