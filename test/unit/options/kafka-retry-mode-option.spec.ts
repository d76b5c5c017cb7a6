import { describe, expect, it } from 'vitest';
import { MessageBusConfigurationError } from '../../../lib/errors/message-bus-configuration.error';
import { resolveModuleOptions } from '../../../lib/options/resolve-module-options';

function kafkaConsumer(consumer: Record<string, unknown>) {
  // Typed loosely on purpose: the point is what a wrong value does.
  const options = {
    transport: 'memory',
    consumers: { kafka: [{ topic: 'payments', ...consumer }] },
  };
  return resolveModuleOptions(options as never).kafkaConsumers[0];
}

function refusal(consumer: Record<string, unknown>): MessageBusConfigurationError {
  try {
    kafkaConsumer(consumer);
  } catch (error) {
    expect(error).toBeInstanceOf(MessageBusConfigurationError);
    return error as MessageBusConfigurationError;
  }
  throw new Error('expected a MessageBusConfigurationError, got none');
}

describe('consumers.kafka[].retryMode and retryTopic', () => {
  it("defaults to 'blocking', without a retry topic", () => {
    expect(kafkaConsumer({})).toMatchObject({ retryMode: 'blocking' });
    expect(kafkaConsumer({}).retryTopic).toBeUndefined();
  });

  it("gives 'retry-topic' the retry topic <topic>.retry, or the one named", () => {
    expect(kafkaConsumer({ retryMode: 'retry-topic' })).toMatchObject({
      retryMode: 'retry-topic',
      retryTopic: 'payments.retry',
    });
    expect(
      kafkaConsumer({ retryMode: 'retry-topic', retryTopic: 'payments-retries' }).retryTopic,
    ).toBe('payments-retries');
  });

  it('refuses another mode, naming the setting and the choices', () => {
    const error = refusal({ retryMode: 'non-blocking' });
    expect(error.setting).toBe('consumers.kafka[0].retryMode');
    expect(error.message).toMatch(/'blocking', 'retry-topic' \(got "non-blocking"\)/);
  });

  it("refuses a retryTopic without retryMode 'retry-topic'", () => {
    const error = refusal({ retryTopic: 'payments.retry' });
    expect(error.setting).toBe('consumers.kafka[0].retryTopic');
    expect(error.message).toMatch(/set consumers\.kafka\[0\]\.retryMode to 'retry-topic'/);
  });

  it.each(['payments', 'payments.dlq'])('refuses the retry topic %s', (retryTopic) => {
    const error = refusal({ retryMode: 'retry-topic', retryTopic });
    expect(error.setting).toBe('consumers.kafka[0].retryTopic');
    expect(error.message).toMatch(/must differ from the topic and its deadLetterTopic/);
  });
});
