import { describe, expect, it } from 'vitest';
import { MessageBusConfigurationError } from '../../../lib/errors/message-bus-configuration.error';
import type { MessageBusModuleOptions } from '../../../lib/interfaces/message-bus-module-options.interface';
import { resolveModuleOptions } from '../../../lib/options/resolve-module-options';

describe('onConsumerFailure', () => {
  it("defaults to 'keep-running' and takes 'exit'", () => {
    expect(resolveModuleOptions({ transport: 'memory' }).onConsumerFailure).toBe('keep-running');
    expect(
      resolveModuleOptions({ transport: 'memory', onConsumerFailure: 'exit' }).onConsumerFailure,
    ).toBe('exit');
  });

  it('rejects anything else with a sentence naming the setting', () => {
    const options = { transport: 'memory', onConsumerFailure: 'crash' } as unknown;
    expect(() => resolveModuleOptions(options as MessageBusModuleOptions)).toThrow(
      MessageBusConfigurationError,
    );
    expect(() => resolveModuleOptions(options as MessageBusModuleOptions)).toThrow(
      /onConsumerFailure must be 'keep-running' or 'exit' \(got "crash"\)/,
    );
  });
});
