import { ConsoleLogger, Logger } from '@nestjs/common';
import { logLevel, type LogEntry } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import type { KafkaClientOptions } from '../../../../lib/transports/kafka/kafka-client-options.interface';
import { KafkaClient } from '../../../../lib/transports/kafka/kafka.client';
import {
  KAFKAJS_LOG_CONTEXT,
  NestKafkaLogSink,
} from '../../../../lib/transports/kafka/nest-kafka-log-sink';
import { CapturedLogger } from '../../../support/captured-logger';

const PASSWORD = 'Sup3r-Secret-Pa55word';
/** Nothing listens here; these tests never connect. */
const NOWHERE = '127.0.0.1:1';

function entry(level: logLevel, message: string, extra: Record<string, unknown> = {}): LogEntry {
  return {
    namespace: 'Connection',
    level,
    label: logLevel[level],
    log: { timestamp: '2026-01-01T00:00:00.000Z', logger: 'kafkajs', message, ...extra },
  };
}

/** The kafkajs log function a client hands kafkajs, driven by hand. */
function kafkajsLog(options: KafkaClientOptions): (entry: LogEntry) => void {
  const client = new KafkaClient({
    bootstrapServers: NOWHERE,
    securityProtocol: 'SASL_PLAINTEXT',
    userName: 'bus',
    password: PASSWORD,
    logLevel: 'debug',
    ...options,
  });
  return client.kafkaConfig().logCreator!(logLevel.DEBUG);
}

describe('kafkajs lines by default', () => {
  afterEach(() => {
    Logger.overrideLogger(new ConsoleLogger());
  });

  it("go through Nest's Logger with context KafkaJS, each level to its Nest method", () => {
    const nest = new CapturedLogger();
    Logger.overrideLogger(nest);
    const log = kafkajsLog({});
    log(entry(logLevel.ERROR, 'Crash', { groupId: 'g' }));
    log(entry(logLevel.WARN, 'Rebalancing'));
    log(entry(logLevel.INFO, 'Joined'));
    log(entry(logLevel.DEBUG, 'Fetch'));
    expect(nest.lines).toEqual([
      { level: 'error', text: 'Connection: Crash {"groupId":"g"}', context: 'KafkaJS' },
      { level: 'warn', text: 'Connection: Rebalancing', context: 'KafkaJS' },
      { level: 'log', text: 'Connection: Joined', context: 'KafkaJS' },
      { level: 'debug', text: 'Connection: Fetch', context: 'KafkaJS' },
    ]);
    expect(KAFKAJS_LOG_CONTEXT).toBe('KafkaJS');
  });

  it('never carry the password, in the text or in the fields', () => {
    const nest = new CapturedLogger();
    Logger.overrideLogger(nest);
    kafkajsLog({})(
      entry(logLevel.ERROR, `SASL PLAIN authentication failed for ${PASSWORD}`, {
        sasl: { mechanism: 'plain', username: 'bus', password: PASSWORD },
        error: new Error(`bad ${PASSWORD}`),
      }),
    );
    expect(nest.lines).toHaveLength(1);
    const text = nest.lines[0].text;
    expect(text).toContain('SASL PLAIN authentication failed for [redacted]');
    expect(text).toContain('"sasl":"[redacted]"');
    expect(text).not.toContain(PASSWORD);
  });

  it('stay below the level asked for', () => {
    const nest = new CapturedLogger();
    Logger.overrideLogger(nest);
    const log = kafkajsLog({ logLevel: 'warn' });
    log(entry(logLevel.INFO, 'Joined'));
    log(entry(logLevel.DEBUG, 'Fetch'));
    expect(nest.lines).toEqual([]);
  });
});

describe('a logger option', () => {
  afterEach(() => {
    Logger.overrideLogger(new ConsoleLogger());
  });

  it('of the KafkaLogSink shape keeps receiving the lines, and Nest none of them', () => {
    const nest = new CapturedLogger();
    Logger.overrideLogger(nest);
    const lines: string[] = [];
    const keep = (message: string) => lines.push(message);
    kafkajsLog({ logger: { error: keep, warn: keep, info: keep, debug: keep } })(
      entry(logLevel.WARN, `Retrying ${PASSWORD}`),
    );
    expect(lines).toEqual(['[kafkajs] Connection: Retrying [redacted]']);
    expect(nest.lines).toEqual([]);
  });

  it('can be NestKafkaLogSink over a LoggerService of its own', () => {
    const own = new CapturedLogger();
    kafkajsLog({ logger: new NestKafkaLogSink(own) })(entry(logLevel.INFO, 'Joined'));
    expect(own.lines).toEqual([{ level: 'log', text: 'Connection: Joined', context: undefined }]);
  });
});
