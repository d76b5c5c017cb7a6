import { describe, expect, it } from 'vitest';
import { MessageBusConfigurationError } from '../../../lib/errors/message-bus-configuration.error';
import type { MessageBusModuleOptions } from '../../../lib/interfaces/message-bus-module-options.interface';
import { resolveModuleOptions } from '../../../lib/options/resolve-module-options';

const consumers: MessageBusModuleOptions['consumers'] = {
  sqs: [{ queue: 'payments' }],
  kafka: [{ topic: 'payments' }],
};

describe('startup', () => {
  it("defaults to 'keep-retrying', for the module and every SQS and Kafka consumer", () => {
    const resolved = resolveModuleOptions({ transport: 'memory', consumers });
    expect(resolved.startup).toBe('keep-retrying');
    expect(resolved.sqsConsumers[0].startup).toBe('keep-retrying');
    expect(resolved.kafkaConsumers[0].startup).toBe('keep-retrying');
  });

  it("hands 'fail-fast' to every consumer of both transports", () => {
    const resolved = resolveModuleOptions({ transport: 'memory', consumers, startup: 'fail-fast' });
    expect(resolved.startup).toBe('fail-fast');
    expect(resolved.sqsConsumers[0].startup).toBe('fail-fast');
    expect(resolved.kafkaConsumers[0].startup).toBe('fail-fast');
  });

  it('refuses any other value, naming the setting and the choices', () => {
    const options = { transport: 'memory', startup: 'crash' } as unknown as MessageBusModuleOptions;
    expect(() => resolveModuleOptions(options)).toThrow(MessageBusConfigurationError);
    expect(() => resolveModuleOptions(options)).toThrow(
      /startup must be one of 'fail-fast', 'keep-retrying' \(got "crash"\)/,
    );
  });
});
