import { describe, expect, it } from 'vitest';
import { MessageBusConfigurationError } from '../../../../lib/errors/message-bus-configuration.error';
import { SqsInvalidArgumentError } from '../../../../lib/transports/sqs/errors/sqs-invalid-argument.error';
import {
  assertQueueName,
  isFifoQueueUrl,
  normaliseBaseQueueUrl,
  queueNameOf,
  resolveQueueUrl,
} from '../../../../lib/transports/sqs/sqs-queue-address';

const BASE = 'http://127.0.0.1:9324/000000000000';

describe('resolveQueueUrl', () => {
  it('appends a queue name to the base URL, as the Python client does', () => {
    expect(resolveQueueUrl(BASE, 'payment-queue')).toBe(`${BASE}/payment-queue`);
    expect(resolveQueueUrl(BASE, 'orders_1.fifo')).toBe(`${BASE}/orders_1.fifo`);
  });

  it('uses a full queue URL as is, on any host', () => {
    const url = 'https://sqs.us-east-1.amazonaws.com/123456789012/other';
    expect(resolveQueueUrl(BASE, url)).toBe(url);
    expect(resolveQueueUrl(BASE, 'HTTP://localhost:9324/000000000000/q')).toBe(
      'HTTP://localhost:9324/000000000000/q',
    );
  });

  it('accepts names of up to 80 characters, the .fifo suffix included', () => {
    expect(resolveQueueUrl(BASE, 'a'.repeat(80))).toBe(`${BASE}/${'a'.repeat(80)}`);
    expect(resolveQueueUrl(BASE, `${'a'.repeat(75)}.fifo`)).toBe(`${BASE}/${'a'.repeat(75)}.fifo`);
  });

  it.each([
    '',
    '   ',
    'a'.repeat(81),
    `${'a'.repeat(76)}.fifo`,
    'has space',
    'a/b',
    'q.txt',
    '.fifo',
    'é',
  ])('rejects the target %j with an SqsInvalidArgumentError naming targetQueue', (target) => {
    expect(() => resolveQueueUrl(BASE, target)).toThrowError(SqsInvalidArgumentError);
    try {
      resolveQueueUrl(BASE, target);
    } catch (error) {
      expect((error as SqsInvalidArgumentError).argument).toBe('targetQueue');
    }
  });

  it('rejects a full URL without a queue path', () => {
    expect(() => resolveQueueUrl(BASE, 'http://127.0.0.1:9324/')).toThrowError(
      /must be a queue URL/,
    );
  });

  it('assertQueueName names the argument it was given', () => {
    expect(() => assertQueueName('bad name', 'name')).toThrowError(
      /^Invalid SQS call: name "bad name" is not a valid/,
    );
    expect(() => assertQueueName('good-name')).not.toThrow();
  });
});

describe('normaliseBaseQueueUrl', () => {
  it('trims whitespace and trailing slashes', () => {
    expect(normaliseBaseQueueUrl(` ${BASE}/ `)).toBe(BASE);
  });

  it('throws a configuration error naming sqs.queueUrl', () => {
    expect(() => normaliseBaseQueueUrl('nope')).toThrowError(MessageBusConfigurationError);
    expect(() => normaliseBaseQueueUrl('nope')).toThrowError(/sqs\.queueUrl/);
  });
});

describe('queue URL helpers', () => {
  it('reads the queue name from the last path segment', () => {
    expect(queueNameOf(`${BASE}/payments`)).toBe('payments');
    expect(queueNameOf(`${BASE}/payments/`)).toBe('payments');
  });

  it('tells FIFO queues by their .fifo suffix', () => {
    expect(isFifoQueueUrl(`${BASE}/orders.fifo`)).toBe(true);
    expect(isFifoQueueUrl(`${BASE}/orders`)).toBe(false);
    expect(isFifoQueueUrl(`${BASE}/orders-fifo`)).toBe(false);
  });
});
