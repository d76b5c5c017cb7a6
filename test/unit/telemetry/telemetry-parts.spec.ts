import { describe, expect, it } from 'vitest';
import { KafkaLagTable } from '../../../lib/telemetry/kafka-lag.registry';
import { SqsDepthSampler } from '../../../lib/telemetry/sqs-depth.sampler';
import { checkSendOptions } from '../../../lib/transports/sqs/sqs-call-checks';
import { toHeaders } from '../../../lib/transports/kafka/kafka-call-checks';
import { SqsInvalidArgumentError } from '../../../lib/transports/sqs/errors/sqs-invalid-argument.error';
import { KafkaInvalidArgumentError } from '../../../lib/transports/kafka/errors/kafka-invalid-argument.error';

const QUEUE_URL = 'http://127.0.0.1:9324/000000000000/orders';

describe('publish headers as SQS message attributes', () => {
  const check = (messageAttributes: Record<string, string>) => () =>
    checkSendOptions({ messageAttributes }, QUEUE_URL, false);

  it('accepts names SQS accepts, trace context among them', () => {
    expect(check({ traceparent: '00-a-b-01', 'x-tenant.id_2': 'acme' })).not.toThrow();
  });

  it.each([
    ['has space', 'may only use letters'],
    ['.leading', 'may not start or end with "."'],
    ['two..dots', 'may not start or end with "."'],
    ['AWS.reserved', 'which SQS reserves'],
    ['amazon.reserved', 'which SQS reserves'],
    ['x'.repeat(257), 'must be 1-256 characters'],
  ])('refuses the header %s, naming it', (name, problem) => {
    expect(check({ [name]: 'v' })).toThrow(SqsInvalidArgumentError);
    expect(check({ [name]: 'v' })).toThrow(`options.messageAttributes.${name}`);
    expect(check({ [name]: 'v' })).toThrow(problem);
  });

  it('refuses more than 10 headers', () => {
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`h${i}`, 'v']));
    expect(check(eleven)).toThrow(/has 11 attributes; SQS allows at most 10/);
  });
});

describe('publish headers as Kafka record headers', () => {
  it('passes string headers on, and none as undefined', () => {
    expect(toHeaders({ traceparent: 't' }, 'headers')).toEqual({ traceparent: 't' });
    expect(toHeaders({}, 'headers')).toBeUndefined();
    expect(toHeaders(undefined, 'headers')).toBeUndefined();
  });

  it('refuses a value that is not a string, naming the header', () => {
    expect(() => toHeaders({ retries: 3 }, 'headers')).toThrow(KafkaInvalidArgumentError);
    expect(() => toHeaders({ retries: 3 }, 'headers')).toThrow('headers.retries');
  });
});

describe('KafkaLagTable', () => {
  it('is the high watermark of the latest fetch minus the last settled offset + 1, never below 0', () => {
    const table = new KafkaLagTable();
    table.fetched(0, '10');
    expect(table.lags()).toEqual([]);
    table.settled(0, '3');
    table.settled(1, '7');
    table.fetched(1, '8');
    expect(table.lags()).toEqual([
      { partition: 0, lag: 6 },
      { partition: 1, lag: 0 },
    ]);
  });
});

describe('SqsDepthSampler', () => {
  it('calls GetQueueAttributes at most once per interval however often metrics are collected', async () => {
    let now = 0;
    let calls = 0;
    const sampler = new SqsDepthSampler(
      async () => ({ visible: ++calls, inFlight: 0 }),
      5_000,
      () => now,
    );
    expect(await sampler.current()).toEqual({ visible: 1, inFlight: 0 });
    now = 4_999;
    expect(await sampler.current()).toEqual({ visible: 1, inFlight: 0 });
    expect(calls).toBe(1);
    now = 5_000;
    expect(await sampler.current()).toEqual({ visible: 2, inFlight: 0 });
  });

  it('keeps the last value when a sample fails', async () => {
    let now = 0;
    let fail = false;
    const sampler = new SqsDepthSampler(
      async () => {
        if (fail) throw new Error('throttled');
        return { visible: 4, inFlight: 1 };
      },
      1_000,
      () => now,
    );
    await sampler.current();
    fail = true;
    now = 2_000;
    expect(await sampler.current()).toEqual({ visible: 4, inFlight: 1 });
  });
});
