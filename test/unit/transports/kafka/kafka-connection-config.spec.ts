import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MessageBusConfigurationError } from '../../../../lib/errors/message-bus-configuration.error';
import type { KafkaClientOptions } from '../../../../lib/transports/kafka/kafka-client-options.interface';
import {
  parseBootstrapServers,
  resolveKafkaConnectionSettings,
  toKafkaJsConfig,
} from '../../../../lib/transports/kafka/kafka-connection-config';

const PASSWORD = 'Sup3r-Secret-Pa55word';
const noop = () => () => undefined;

/** Resolves with no environment unless one is given, so the machine's variables never leak in. */
const resolve = (options: KafkaClientOptions, env: Record<string, string> = {}) =>
  resolveKafkaConnectionSettings(options, env);
const plaintext = (options: KafkaClientOptions = {}) =>
  resolve({ securityProtocol: 'PLAINTEXT', ...options });

function configError(run: () => unknown): MessageBusConfigurationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(MessageBusConfigurationError);
    return error as MessageBusConfigurationError;
  }
  throw new Error('expected a MessageBusConfigurationError');
}

describe('bootstrap servers', () => {
  it('takes one "host:port"', () => {
    expect(plaintext({ bootstrapServers: 'kafka-1:9092' }).brokers).toEqual(['kafka-1:9092']);
  });

  it('splits a comma-separated list and trims blanks', () => {
    expect(plaintext({ bootstrapServers: ' a:9092, b:9093 ,' }).brokers).toEqual([
      'a:9092',
      'b:9093',
    ]);
  });

  it('takes an array, whose entries may themselves be lists', () => {
    expect(plaintext({ bootstrapServers: ['a:9092', 'b:9092,c:9092'] }).brokers).toEqual([
      'a:9092',
      'b:9092',
      'c:9092',
    ]);
  });

  it('falls back on KAFKA_BOOTSTRAP_SERVERS, then localhost:9092', () => {
    expect(
      resolve({ securityProtocol: 'PLAINTEXT' }, { KAFKA_BOOTSTRAP_SERVERS: 'x:1,y:2' }).brokers,
    ).toEqual(['x:1', 'y:2']);
    expect(plaintext().brokers).toEqual(['localhost:9092']);
  });

  it('prefers the option to the environment', () => {
    const settings = resolve(
      { securityProtocol: 'PLAINTEXT', bootstrapServers: 'opt:9092' },
      { KAFKA_BOOTSTRAP_SERVERS: 'env:9092' },
    );
    expect(settings.brokers).toEqual(['opt:9092']);
  });

  it.each(['kafka', 'kafka:', ':9092', 'kafka:0', 'kafka:70000', 'http://kafka:9092', ',', ''])(
    'refuses %j, naming kafka.bootstrapServers',
    (value) => {
      const error = configError(() => parseBootstrapServers(value));
      expect(error.setting).toBe('kafka.bootstrapServers');
    },
  );

  it('says when the bad value came from KAFKA_BOOTSTRAP_SERVERS', () => {
    const error = configError(() =>
      resolve({ securityProtocol: 'PLAINTEXT' }, { KAFKA_BOOTSTRAP_SERVERS: 'nonsense' }),
    );
    expect(error.setting).toBe('kafka.bootstrapServers');
    expect(error.message).toContain('KAFKA_BOOTSTRAP_SERVERS');
  });
});

describe('security protocol and SASL', () => {
  it('defaults to SASL_SSL with PLAIN, as the Python client, so credentials are required', () => {
    const error = configError(() => resolve({}));
    expect(error.setting).toBe('kafka.userName');
    expect(error.message).toContain('SASL_SSL (the default)');
    const settings = resolve({ userName: 'bus', password: PASSWORD });
    expect(settings.securityProtocol).toBe('SASL_SSL');
    expect(settings.sasl?.mechanism).toBe('PLAIN');
    expect(settings.ssl).toBe(true);
  });

  it('reads KAFKA_API_PROTOCOL and KAFKA_API_SASL_MECHANISM, case-insensitively', () => {
    const settings = resolve(
      { userName: 'bus', password: PASSWORD },
      { KAFKA_API_PROTOCOL: 'sasl_plaintext', KAFKA_API_SASL_MECHANISM: 'scram-sha-512' },
    );
    expect(settings.securityProtocol).toBe('SASL_PLAINTEXT');
    expect(settings.sasl?.mechanism).toBe('SCRAM-SHA-512');
    expect(settings.ssl).toBe(false);
  });

  it('prefers the options to the environment', () => {
    const settings = resolve({ securityProtocol: 'PLAINTEXT' }, { KAFKA_API_PROTOCOL: 'SASL_SSL' });
    expect(settings.securityProtocol).toBe('PLAINTEXT');
    expect(settings.sasl).toBeUndefined();
  });

  it('needs no credentials for PLAINTEXT and SSL, and ignores ones given', () => {
    expect(plaintext({ userName: 'bus', password: PASSWORD }).sasl).toBeUndefined();
    const ssl = resolve({ securityProtocol: 'SSL' });
    expect(ssl.sasl).toBeUndefined();
    expect(ssl.ssl).toBe(true);
  });

  it('names kafka.password when only the user name is given', () => {
    const error = configError(() =>
      resolve({ securityProtocol: 'SASL_PLAINTEXT', userName: 'bus' }),
    );
    expect(error.setting).toBe('kafka.password');
    expect(error.message).toContain('SASL_PLAINTEXT');
  });

  it('never puts the password in an error', () => {
    const errors = [
      configError(() => resolve({ securityProtocol: 'SASL_SSL', password: PASSWORD })),
      configError(() =>
        resolve({
          securityProtocol: 'SASL_SSL',
          userName: 'bus',
          password: 42 as unknown as string,
        }),
      ),
      configError(() =>
        resolve({
          securityProtocol: 'SASL_SSL',
          saslMechanism: 'GSSAPI',
          userName: 'bus',
          password: PASSWORD,
        }),
      ),
    ];
    for (const error of errors) expect(error.message).not.toContain(PASSWORD);
    expect(errors[1].setting).toBe('kafka.password');
    expect(errors[1].message).not.toContain('42');
  });

  it.each([
    [{ securityProtocol: 'SASL_TLS' }, {}, 'kafka.securityProtocol', 'SASL_TLS'],
    [{}, { KAFKA_API_PROTOCOL: 'TLS' }, 'kafka.securityProtocol', 'KAFKA_API_PROTOCOL'],
    [
      { securityProtocol: 'SASL_SSL', saslMechanism: 'GSSAPI', userName: 'u', password: 'p' },
      {},
      'kafka.saslMechanism',
      'GSSAPI',
    ],
    [
      { userName: 'u', password: 'p' },
      { KAFKA_API_SASL_MECHANISM: 'OAUTHBEARER' },
      'kafka.saslMechanism',
      'KAFKA_API_SASL_MECHANISM',
    ],
  ] as const)(
    'refuses an unknown protocol or mechanism (%j, %j)',
    (options, env, setting, mentioned) => {
      const error = configError(() => resolve(options, env));
      expect(error.setting).toBe(setting);
      expect(error.message).toContain(mentioned);
    },
  );

  it('maps every mechanism to its kafkajs name', () => {
    for (const [mechanism, kafkajs] of [
      ['PLAIN', 'plain'],
      ['SCRAM-SHA-256', 'scram-sha-256'],
      ['SCRAM-SHA-512', 'scram-sha-512'],
    ] as const) {
      const settings = resolve({
        securityProtocol: 'SASL_PLAINTEXT',
        saslMechanism: mechanism,
        userName: 'bus',
        password: PASSWORD,
      });
      expect(toKafkaJsConfig(settings, 'producer', noop).sasl).toEqual({
        mechanism: kafkajs,
        username: 'bus',
        password: PASSWORD,
      });
    }
  });

  it('keeps the password out of JSON and inspection of the settings', () => {
    const settings = resolve({ securityProtocol: 'SASL_SSL', userName: 'bus', password: PASSWORD });
    expect(JSON.stringify(settings)).not.toContain(PASSWORD);
    expect(inspect(settings, { depth: 10 })).not.toContain(PASSWORD);
    expect(settings.sasl?.revealPassword()).toBe(PASSWORD);
  });
});

describe('TLS', () => {
  const ca = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  it('passes Node TLS options through for SASL_SSL and SSL', () => {
    const settings = resolve({
      securityProtocol: 'SASL_SSL',
      userName: 'bus',
      password: PASSWORD,
      ssl: { ca: [ca] },
    });
    expect(settings.ssl).toEqual({ ca: [ca] });
    expect(toKafkaJsConfig(settings, 'consumer', noop).ssl).toEqual({ ca: [ca] });
    expect(resolve({ securityProtocol: 'SSL', ssl: true }).ssl).toBe(true);
  });

  it('refuses ssl: false with a TLS protocol', () => {
    const error = configError(() => resolve({ securityProtocol: 'SSL', ssl: false }));
    expect(error.setting).toBe('kafka.ssl');
    expect(error.message).toContain('PLAINTEXT');
  });

  it('refuses TLS options with a plaintext protocol', () => {
    const error = configError(() => plaintext({ ssl: { ca: [ca] } }));
    expect(error.setting).toBe('kafka.ssl');
    expect(error.message).toContain('SSL');
    expect(plaintext({ ssl: false }).ssl).toBe(false);
  });

  it('refuses an ssl value that is neither a boolean nor options', () => {
    expect(
      configError(() => resolve({ securityProtocol: 'SSL', ssl: 'yes' as unknown as boolean }))
        .setting,
    ).toBe('kafka.ssl');
  });
});

describe('kafkajs config', () => {
  it('gives the producer and the consumers their own client ids', () => {
    const settings = plaintext({ producerId: 'svc-producer', consumerId: 'svc-consumer' });
    expect(toKafkaJsConfig(settings, 'producer', noop).clientId).toBe('svc-producer');
    expect(toKafkaJsConfig(settings, 'admin', noop).clientId).toBe('svc-producer');
    expect(toKafkaJsConfig(settings, 'consumer', noop).clientId).toBe('svc-consumer');
    expect(plaintext().producerId).toBe('nestjs-message-bus');
  });

  it('builds a fresh object each time, with the timeouts and log level', () => {
    const settings = plaintext({
      connectionTimeoutMs: 1500,
      requestTimeoutMs: 9000,
      logLevel: 'warn',
      bootstrapServers: 'a:1',
    });
    const first = toKafkaJsConfig(settings, 'producer', noop);
    (first.brokers as string[]).push('b:2');
    const second = toKafkaJsConfig(settings, 'producer', noop);
    expect(second).toMatchObject({
      brokers: ['a:1'],
      connectionTimeout: 1500,
      requestTimeout: 9000,
      logLevel: 2,
      ssl: false,
    });
    expect(second.sasl).toBeUndefined();
  });

  it('defaults to the error log level and the documented timings', () => {
    expect(plaintext()).toMatchObject({
      logLevel: 'error',
      sessionTimeoutMs: 30_000,
      heartbeatIntervalMs: 3_000,
      maxWaitTimeMs: 500,
      receiveBufferSize: 256,
      sendRetries: 5,
      partitioner: 'murmur2',
    });
  });

  it('takes either partitioner', () => {
    expect(plaintext({ partitioner: 'crc32' }).partitioner).toBe('crc32');
    expect(plaintext({ partitioner: 'murmur2' }).partitioner).toBe('murmur2');
  });

  it.each([['consistent_random'], ['CRC32'], [''], [42]])(
    'refuses partitioner %j in one sentence naming kafka.partitioner and both values',
    (partitioner) => {
      const error = configError(() => plaintext({ partitioner } as unknown as KafkaClientOptions));
      expect(error.setting).toBe('kafka.partitioner');
      expect(error.message).toContain(`is ${JSON.stringify(partitioner)}, which is not 'murmur2'`);
      expect(error.message).toContain("'crc32'");
      expect(error.message.split('. ')).toHaveLength(1);
    },
  );

  it.each([
    [{ receiveBufferSize: 0 }, 'kafka.receiveBufferSize'],
    [{ maxWaitTimeMs: 1.5 }, 'kafka.maxWaitTimeMs'],
    [{ sendRetries: 0 }, 'kafka.sendRetries'],
    [{ sessionTimeoutMs: 6000, heartbeatIntervalMs: 6000 }, 'kafka.heartbeatIntervalMs'],
    [{ logLevel: 'verbose' }, 'kafka.logLevel'],
    [{ producerId: ' ' }, 'kafka.producerId'],
  ] as const)('refuses %j, naming %s', (options, setting) => {
    expect(configError(() => plaintext(options as KafkaClientOptions)).setting).toBe(setting);
  });
});

describe('partitionAssigners', () => {
  it("defaults to range, then roundrobin (every peer's defaults), then kafkajs's own", () => {
    expect(plaintext().partitionAssigners).toEqual(['range', 'roundrobin', 'kafkajs-roundrobin']);
  });

  it('keeps a list as given, in its order', () => {
    expect(plaintext({ partitionAssigners: ['roundrobin', 'range'] }).partitionAssigners).toEqual([
      'roundrobin',
      'range',
    ]);
  });

  it.each([
    [[], 'must be a non-empty list'],
    ['range', 'must be a non-empty list'],
    [['range', 'sticky'], 'lists "sticky", which is not one of'],
    [['RoundRobinAssigner'], 'lists "RoundRobinAssigner", which is not one of'],
    [['range', 'range'], "lists 'range' twice"],
  ])('refuses %j in one sentence naming kafka.partitionAssigners', (value, problem) => {
    const error = configError(() => plaintext({ partitionAssigners: value as never }));
    expect(error.setting).toBe('kafka.partitionAssigners');
    expect(error.message).toContain(problem);
    expect(error.message.split('. ')).toHaveLength(1);
  });
});
