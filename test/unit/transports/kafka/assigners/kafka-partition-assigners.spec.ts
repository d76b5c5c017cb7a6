import { describe, expect, it } from 'vitest';
import { MessageBusConfigurationError } from '../../../../../lib/errors/message-bus-configuration.error';
import { resolveModuleOptions } from '../../../../../lib/options/resolve-module-options';
import { resolvePartitionAssigners } from '../../../../../lib/transports/kafka/assigners/kafka-partition-assigners';
import { resolveKafkaConnectionSettings } from '../../../../../lib/transports/kafka/kafka-connection-config';

const KAFKA = { bootstrapServers: '127.0.0.1:9092', securityProtocol: 'PLAINTEXT' };

function configError(run: () => unknown): MessageBusConfigurationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MessageBusConfigurationError);
    return error as MessageBusConfigurationError;
  }
  throw new Error('expected a MessageBusConfigurationError');
}

describe('partitionAssigners', () => {
  it("defaults to range, then roundrobin (every peer's defaults), then kafkajs's own", () => {
    expect(resolveKafkaConnectionSettings(KAFKA, {}).partitionAssigners).toEqual([
      'range',
      'roundrobin',
      'kafkajs-roundrobin',
    ]);
  });

  it('keeps a list as given, in its order', () => {
    const settings = resolveKafkaConnectionSettings(
      { ...KAFKA, partitionAssigners: ['roundrobin', 'range'] },
      {},
    );
    expect(settings.partitionAssigners).toEqual(['roundrobin', 'range']);
    expect(resolvePartitionAssigners(undefined, 'x')).toBeUndefined();
  });

  it.each([
    [[], 'must be a non-empty list'],
    ['range', 'must be a non-empty list'],
    [['range', 'sticky'], 'lists "sticky", which is not one of'],
    [['RoundRobinAssigner'], 'lists "RoundRobinAssigner", which is not one of'],
    [['range', 'range'], "lists 'range' twice"],
  ])('refuses %j in one sentence naming kafka.partitionAssigners', (value, problem) => {
    const error = configError(() =>
      resolveKafkaConnectionSettings({ ...KAFKA, partitionAssigners: value as never }, {}),
    );
    expect(error.setting).toBe('kafka.partitionAssigners');
    expect(error.message).toContain(problem);
    expect(error.message.split('. ')).toHaveLength(1);
  });

  it('is a per-consumer option of the module, unset meaning the kafka section’s', () => {
    const resolved = resolveModuleOptions({
      kafka: KAFKA,
      consumers: {
        kafka: [{ topic: 'a', partitionAssigners: ['roundrobin'] }, { topic: 'b' }],
      },
    });
    expect(resolved.kafkaConsumers.map((c) => c.partitionAssigners)).toEqual([
      ['roundrobin'],
      undefined,
    ]);
  });

  it('names the consumer in the error for a wrong value', () => {
    const error = configError(() =>
      resolveModuleOptions({
        kafka: KAFKA,
        consumers: { kafka: [{ topic: 'a', partitionAssigners: ['cooperative-sticky' as never] }] },
      }),
    );
    expect(error.setting).toBe('consumers.kafka[0].partitionAssigners');
  });
});
