import { logLevel, type LogEntry } from 'kafkajs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KafkaLogSink } from '../../../../lib/transports/kafka/kafka-client-options.interface';
import {
  createKafkaLogCreator,
  redactValue,
} from '../../../../lib/transports/kafka/kafka-log-creator';

const PASSWORD = 'Sup3r-Secret-Pa55word';

function recordingSink(): KafkaLogSink & { lines: Array<[string, string, unknown]> } {
  const lines: Array<[string, string, unknown]> = [];
  return {
    lines,
    error: (message, context) => lines.push(['error', message, context]),
    warn: (message, context) => lines.push(['warn', message, context]),
    info: (message, context) => lines.push(['info', message, context]),
    debug: (message, context) => lines.push(['debug', message, context]),
  };
}

function entry(level: logLevel, message: string, extra: Record<string, unknown> = {}): LogEntry {
  return {
    namespace: 'Consumer',
    level,
    label: logLevel[level],
    log: { timestamp: '2026-01-01T00:00:00.000Z', logger: 'kafkajs', message, ...extra },
  };
}

describe('createKafkaLogCreator', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('passes entries at or above the level, with the namespace, to the matching sink method', () => {
    const sink = recordingSink();
    const log = createKafkaLogCreator('warn', sink)(logLevel.WARN);
    log(entry(logLevel.ERROR, 'Crash', { groupId: 'g' }));
    log(entry(logLevel.WARN, 'Rebalancing'));
    log(entry(logLevel.INFO, 'Joined'));
    log(entry(logLevel.DEBUG, 'Fetch'));
    expect(sink.lines).toEqual([
      ['error', '[kafkajs] Consumer: Crash', { groupId: 'g' }],
      ['warn', '[kafkajs] Consumer: Rebalancing', {}],
    ]);
  });

  it('logs nothing at level nothing, even if KAFKAJS_LOG_LEVEL asks for more', () => {
    vi.stubEnv('KAFKAJS_LOG_LEVEL', 'debug');
    const sink = recordingSink();
    const log = createKafkaLogCreator('nothing', sink)(logLevel.DEBUG);
    log(entry(logLevel.ERROR, 'Crash'));
    expect(sink.lines).toEqual([]);
  });

  it('redacts the password wherever it appears, and fields named like credentials', () => {
    const sink = recordingSink();
    const log = createKafkaLogCreator('debug', sink, [PASSWORD])(logLevel.DEBUG);
    log(
      entry(logLevel.DEBUG, `Authenticate with ${PASSWORD}`, {
        broker: '127.0.0.1:9094',
        sasl: { mechanism: 'plain', username: 'bus', password: PASSWORD },
        nested: { note: `x${PASSWORD}y`, list: [PASSWORD] },
        error: new Error(`bad ${PASSWORD}`),
        value: Buffer.from('body'),
      }),
    );
    const [[, message, context]] = sink.lines;
    expect(JSON.stringify([message, context])).not.toContain(PASSWORD);
    expect(context).toMatchObject({
      broker: '127.0.0.1:9094',
      sasl: '[redacted]',
      nested: { note: 'x[redacted]y', list: ['[redacted]'] },
      error: { name: 'Error', message: 'bad [redacted]' },
      value: '<4 bytes>',
    });
  });

  it('survives a sink that throws', () => {
    const sink = recordingSink();
    sink.error = () => {
      throw new Error('sink down');
    };
    const log = createKafkaLogCreator('error', sink)(logLevel.ERROR);
    expect(() => log(entry(logLevel.ERROR, 'Crash'))).not.toThrow();
  });

  it('bounds the depth it copies', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20; i += 1) deep = { deeper: deep };
    expect(JSON.stringify(redactValue(deep, []))).toContain('[…]');
  });
});

describe('kafkajs errors it retries', () => {
  it('count as warnings, while crashes stay errors', () => {
    const sink = recordingSink();
    const log = createKafkaLogCreator('error', sink)(logLevel.ERROR);
    const at = (namespace: string, message: string): LogEntry => ({
      ...entry(logLevel.ERROR, message),
      namespace,
    });
    log(at('Connection', 'Response Heartbeat(key: 12, version: 3)'));
    log(at('Connection', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092'));
    log(
      at('BrokerPool', 'Failed to connect to seed broker, trying another broker from the list: x'),
    );
    log(at('Consumer', 'Crash: KafkaJSNumberOfRetriesExceeded: x'));
    expect(sink.lines.map(([level, message]) => [level, message])).toEqual([
      ['error', '[kafkajs] Consumer: Crash: KafkaJSNumberOfRetriesExceeded: x'],
    ]);

    const verbose = recordingSink();
    createKafkaLogCreator('warn', verbose)(logLevel.WARN)(
      at('Connection', 'Response Heartbeat(key: 12, version: 3)'),
    );
    expect(verbose.lines[0][0]).toBe('warn');
  });
});
