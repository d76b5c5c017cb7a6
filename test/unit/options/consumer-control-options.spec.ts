import { describe, expect, it } from 'vitest';
import { MessageBusConfigurationError } from '../../../lib/errors/message-bus-configuration.error';
import { resolveModuleOptions } from '../../../lib/options/resolve-module-options';

const consumers = {
  sqs: [{ queue: 'payments' }, { queue: 'refunds', autoStart: false }],
  kafka: [{ topic: 'orders', autoStart: true }],
};

describe('consume and autoStart options', () => {
  it('default to consuming and starting every consumer', () => {
    const options = resolveModuleOptions({
      transport: 'memory',
      consumers: { sqs: [{ queue: 'q' }] },
    });
    expect(options.consume).toBe(true);
    expect(options.autoStart).toBe(true);
    expect(options.sqsConsumers[0].autoStart).toBe(true);
  });

  it("resolve each consumer's autoStart, falling back on the module's", () => {
    const options = resolveModuleOptions({ transport: 'memory', autoStart: false, consumers });
    expect(options.sqsConsumers.map((consumer) => consumer.autoStart)).toEqual([false, false]);
    expect(options.kafkaConsumers[0].autoStart).toBe(true);
  });

  it('keep consumers declared with consume: false', () => {
    const options = resolveModuleOptions({ transport: 'memory', consume: false, consumers });
    expect(options.consume).toBe(false);
    expect(options.sqsConsumers).toHaveLength(2);
  });

  it.each([
    [{ consume: 'no' }, 'consume must be true or false (got "no")'],
    [{ autoStart: 0 }, 'autoStart must be true or false (got 0)'],
    [
      { consumers: { sqs: [{ queue: 'q', autoStart: 'later' }] } },
      'consumers.sqs[0].autoStart must be true or false (got "later")',
    ],
    [
      { consumers: { kafka: [{ topic: 't', autoStart: null }] } },
      'consumers.kafka[0].autoStart must be true or false (got null)',
    ],
  ])('refuse a value that is not a boolean: %j', (extra, message) => {
    const options = { transport: 'memory', ...extra } as never;
    expect(() => resolveModuleOptions(options)).toThrow(MessageBusConfigurationError);
    expect(() => resolveModuleOptions(options)).toThrow(message);
  });
});
