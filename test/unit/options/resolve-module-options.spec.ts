import { describe, expect, it } from 'vitest';
import { MessageBusConfigurationError } from '../../../lib/errors/message-bus-configuration.error';
import { MessageTypeRegistry } from '../../../lib/message/message-type-registry';
import { DEFAULT_UNHANDLED_POLICY } from '../../../lib/dispatch/unhandled-policy';
import { resolveModuleOptions } from '../../../lib/options/resolve-module-options';
import { resolveKafkaConnectionSettings } from '../../../lib/transports/kafka/kafka-connection-config';
import { resolveSqsClientConfig } from '../../../lib/transports/sqs/sqs-client-config';

const SQS = { queueUrl: 'http://127.0.0.1:9324/000000000000', region: 'eu-west-1' };
const KAFKA = { bootstrapServers: '127.0.0.1:9092', securityProtocol: 'PLAINTEXT' };

/** The error `resolve` throws; fails the test when it throws none or another kind. */
function configurationError(resolve: () => unknown): MessageBusConfigurationError {
  try {
    resolve();
  } catch (error) {
    expect(error).toBeInstanceOf(MessageBusConfigurationError);
    return error as MessageBusConfigurationError;
  }
  throw new Error('expected a MessageBusConfigurationError, got none');
}

function resolveWith(options: Record<string, unknown>) {
  // Typed loosely on purpose: the point is what a wrong shape does.
  return resolveModuleOptions(options);
}

describe('resolveModuleOptions: unknown keys', () => {
  it('refuses a typo at the top level, suggesting the key meant', () => {
    const error = configurationError(() =>
      resolveWith({ transport: 'memory', consumer: { sqs: [{ queue: 'payments' }] } }),
    );
    expect(error.message).toBe(
      'Invalid message bus configuration: consumer is not an option (did you mean consumers?)',
    );
    expect(error.setting).toBe('consumer');
  });

  it.each([
    [{ consumers: { sqss: [] } }, 'consumers.sqss is not an option (did you mean sqs?)'],
    [
      { consumers: { sqs: [{ queue: 'q', deadLetterQueu: 'd' }] } },
      'consumers.sqs[0].deadLetterQueu is not an option (did you mean deadLetterQueue?)',
    ],
    [
      { consumers: { kafka: [{ topic: 't' }, { topic: 'u', groupid: 'g' }] } },
      'consumers.kafka[1].groupid is not an option (did you mean groupId?)',
    ],
    [
      { consumers: { sqs: [{ queue: 'q', retry: { maxAttempt: 3 } }] } },
      'consumers.sqs[0].retry.maxAttempt is not an option (did you mean maxAttempts?)',
    ],
    [
      { consumers: { kafka: [{ topic: 't', retry: { backoff: 3 } }] } },
      'consumers.kafka[0].retry.backoff is not an option',
    ],
    [{ shutdownTimeout: 5 }, 'shutdownTimeout is not an option (did you mean shutdownTimeoutMs?)'],
    [{ banana: true }, 'banana is not an option'],
  ])('names the unknown key of %j', (options, sentence) => {
    const error = configurationError(() => resolveWith({ transport: 'memory', ...options }));
    expect(error.message).toBe(`Invalid message bus configuration: ${sentence}`);
  });

  it('names every unknown key of a section in one sentence', () => {
    const error = configurationError(() =>
      resolveWith({ transport: 'memory', consumer: {}, retries: {}, colour: 'red' }),
    );
    expect(error.message).toBe(
      'Invalid message bus configuration: consumer (did you mean consumers?), retries and colour are not options',
    );
  });

  it('refuses unknown keys in the sqs and kafka client sections', () => {
    expect(
      configurationError(() =>
        resolveKafkaConnectionSettings({ ...KAFKA, bootstrapServer: 'x' } as never),
      ).message,
    ).toMatch(/kafka\.bootstrapServer is not an option \(did you mean bootstrapServers\?\)$/);
    expect(
      configurationError(() => resolveSqsClientConfig({ ...SQS, regoin: 'x' } as never)).message,
    ).toMatch(/sqs\.regoin is not an option \(did you mean region\?\)$/);
    expect(
      configurationError(() => resolveSqsClientConfig({ ...SQS, queueURL: 'x' } as never)).message,
    ).toMatch(/sqs\.queueURL is not an option \(did you mean queueUrl\?\)$/);
  });

  it('takes every documented key, isGlobal (ConfigurableModuleBuilder) included', () => {
    const resolved = resolveWith({
      transport: 'sqs',
      sqs: SQS,
      kafka: KAFKA,
      consumers: {
        sqs: [
          {
            queue: 'q',
            deadLetterQueue: 'q-dlq',
            retry: { maxAttempts: 2, initialDelayMs: 1, multiplier: 1, maxDelayMs: 5 },
            concurrency: 2,
            waitTimeSeconds: 1,
            visibilityTimeout: 5,
            pollers: 1,
            unhandled: 'acknowledge',
          },
        ],
        kafka: [
          {
            topic: 't',
            groupId: 'g',
            deadLetterTopic: 't-dlq',
            retry: {},
            partitionsConcurrency: 1,
            members: 2,
            fromBeginning: false,
            partitionAssigners: ['roundrobin'],
            unhandled: 'dead-letter',
          },
        ],
      },
      messageTypes: [],
      unhandled: 'acknowledge',
      shutdownTimeoutMs: 10,
      isGlobal: true,
    });
    expect(resolved.sqsConsumers).toHaveLength(1);
    expect(resolved.kafkaConsumers).toHaveLength(1);
  });

  it("refuses a registry in the client sections: the module's own comes from messageTypes", () => {
    const error = configurationError(() =>
      resolveWith({ sqs: { ...SQS, registry: MessageTypeRegistry.withBuiltIns() } }),
    );
    expect(error.setting).toBe('sqs.registry');
    expect(error.message).toMatch(/messageTypes/);
  });
});

describe('resolveModuleOptions: unhandled', () => {
  const consumers = { sqs: [{ queue: 'q' }], kafka: [{ topic: 't' }] };

  it('dead-letters instructions and acknowledges events when nobody says', () => {
    const resolved = resolveWith({ transport: 'memory', consumers });
    const expected = { instruction: 'dead-letter', event: 'acknowledge' };
    expect(DEFAULT_UNHANDLED_POLICY).toEqual(expected);
    expect(resolved.unhandled).toEqual(expected);
    expect(resolved.sqsConsumers[0].unhandled).toEqual(expected);
    expect(resolved.kafkaConsumers[0].unhandled).toEqual(expected);
  });

  it.each(['acknowledge', 'dead-letter'] as const)(
    'applies the module-wide %s to both kinds on every consumer',
    (action) => {
      const resolved = resolveWith({ transport: 'memory', consumers, unhandled: action });
      const expected = { instruction: action, event: action };
      expect(resolved.unhandled).toEqual(expected);
      expect(resolved.sqsConsumers[0].unhandled).toEqual(expected);
      expect(resolved.kafkaConsumers[0].unhandled).toEqual(expected);
    },
  );

  it("lets a consumer's own setting win over the module's", () => {
    const resolved = resolveWith({
      transport: 'memory',
      unhandled: 'acknowledge',
      consumers: {
        sqs: [{ queue: 'q', unhandled: 'dead-letter' }, { queue: 'r' }],
        kafka: [{ topic: 't', unhandled: 'dead-letter' }],
      },
    });
    expect(resolved.sqsConsumers.map((c) => c.unhandled)).toEqual([
      { instruction: 'dead-letter', event: 'dead-letter' },
      { instruction: 'acknowledge', event: 'acknowledge' },
    ]);
    expect(resolved.kafkaConsumers[0].unhandled).toEqual({
      instruction: 'dead-letter',
      event: 'dead-letter',
    });
  });

  it.each([
    [{ unhandled: 'ack' }, 'unhandled'],
    [{ consumers: { sqs: [{ queue: 'q', unhandled: 'drop' }] } }, 'consumers.sqs[0].unhandled'],
    [{ consumers: { kafka: [{ topic: 't', unhandled: true }] } }, 'consumers.kafka[0].unhandled'],
  ])('names the setting of a wrong value in %j', (options, setting) => {
    const error = configurationError(() => resolveWith({ transport: 'memory', ...options }));
    expect(error.setting).toBe(setting);
    expect(error.message).toMatch(/must be one of 'acknowledge', 'dead-letter'/);
  });
});

describe('resolveModuleOptions: defaults and shared checks', () => {
  it('names a Kafka consumer group and dead-letter topic after the topic by default', () => {
    const [consumer] = resolveWith({
      transport: 'memory',
      consumers: { kafka: [{ topic: 'orders' }] },
    }).kafkaConsumers;
    expect(consumer.groupId).toBe('orders_consumer_group');
    expect(consumer.deadLetterTopic).toBe('orders.dlq');
  });

  it('gives an SQS consumer 50 slots, five receives of 10 at once, 20 s long polls and a 30 s visibility timeout by default', () => {
    const [defaults, small, large, own] = resolveWith({
      transport: 'memory',
      consumers: {
        sqs: [
          { queue: 'a' },
          { queue: 'b', concurrency: 5 },
          { queue: 'c', concurrency: 101 },
          { queue: 'd', concurrency: 20, pollers: 7 },
        ],
      },
    }).sqsConsumers;
    expect(defaults).toMatchObject({
      concurrency: 50,
      pollers: 5,
      waitTimeSeconds: 20,
      visibilityTimeout: 30,
    });
    expect([small.pollers, large.pollers, own.pollers]).toEqual([1, 11, 7]);
  });

  it('words a number out of range the same in the module and the client sections', () => {
    expect(
      configurationError(() =>
        resolveWith({ transport: 'memory', consumers: { sqs: [{ queue: 'q', pollers: 0 }] } }),
      ).message,
    ).toMatch(/consumers\.sqs\[0\]\.pollers must be a whole number from 1 to 100 \(got 0\)$/);
    expect(
      configurationError(() => resolveSqsClientConfig({ ...SQS, maxAttempts: 0 })).message,
    ).toMatch(/sqs\.maxAttempts must be a whole number of at least 1 \(got 0\)$/);
    expect(
      configurationError(() => resolveKafkaConnectionSettings({ ...KAFKA, sendRetries: 0.5 }))
        .message,
    ).toMatch(/kafka\.sendRetries must be a whole number of at least 1 \(got 0\.5\)$/);
  });

  it('refuses a blank Kafka group id, and a blank client id, naming each', () => {
    expect(
      configurationError(() =>
        resolveWith({ transport: 'memory', consumers: { kafka: [{ topic: 't', groupId: ' ' }] } }),
      ).setting,
    ).toBe('consumers.kafka[0].groupId');
    expect(
      configurationError(() => resolveKafkaConnectionSettings({ ...KAFKA, producerId: '' }))
        .message,
    ).toMatch(/kafka\.producerId must be a non-blank string \(the client id the brokers see\)$/);
  });
});

describe('resolveModuleOptions: partitionAssigners', () => {
  it("is a per-consumer option; unset means the kafka section's", () => {
    const resolved = resolveWith({
      kafka: KAFKA,
      consumers: { kafka: [{ topic: 'a', partitionAssigners: ['roundrobin'] }, { topic: 'b' }] },
    });
    expect(resolved.kafkaConsumers.map((c) => c.partitionAssigners)).toEqual([
      ['roundrobin'],
      undefined,
    ]);
  });

  it('names the consumer in the error for a wrong value', () => {
    const error = configurationError(() =>
      resolveWith({
        kafka: KAFKA,
        consumers: { kafka: [{ topic: 'a', partitionAssigners: ['cooperative-sticky'] }] },
      }),
    );
    expect(error.setting).toBe('consumers.kafka[0].partitionAssigners');
    expect(error.message).toContain('lists "cooperative-sticky", which is not one of');
  });
});
