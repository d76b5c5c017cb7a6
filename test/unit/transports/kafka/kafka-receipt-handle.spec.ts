import { describe, expect, it } from 'vitest';
import { KafkaReceiptHandleError } from '../../../../lib/transports/kafka/errors/kafka-receipt-handle.error';
import {
  formatKafkaReceiptHandle,
  isKafkaTopicName,
  parseKafkaReceiptHandle,
} from '../../../../lib/transports/kafka/kafka-receipt-handle';

describe('Kafka receipt handles', () => {
  it('format as topic:partition:offset and parse back', () => {
    const position = { topic: 'payments.v1_in-bound', partition: 2, offset: '9223372036854775807' };
    const handle = formatKafkaReceiptHandle(position);
    expect(handle).toBe('payments.v1_in-bound:2:9223372036854775807');
    expect(parseKafkaReceiptHandle(handle)).toEqual(position);
  });

  it('normalise leading zeros of the offset', () => {
    expect(parseKafkaReceiptHandle('t:0:007').offset).toBe('7');
  });

  it.each([
    '',
    'payments',
    'payments:0',
    'payments:x:1',
    'payments:0:-1',
    'payments:-1:0',
    'pay ments:0:1',
    'a:b:0:1',
    ':0:1',
    'payments:0:1 ',
    'payments:2147483648:0',
    'payments:0:9223372036854775808',
    `${'t'.repeat(250)}:0:1`,
    '..:0:1',
  ])('refuses %j as malformed', (handle) => {
    const error = (() => {
      try {
        parseKafkaReceiptHandle(handle);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(KafkaReceiptHandleError);
    expect((error as KafkaReceiptHandleError).problem).toBe('malformed');
    expect((error as KafkaReceiptHandleError).message).toContain('topic:partition:offset');
  });

  it('refuses a non-string', () => {
    expect(() => parseKafkaReceiptHandle(42)).toThrow(KafkaReceiptHandleError);
    expect(() => parseKafkaReceiptHandle(undefined)).toThrow(KafkaReceiptHandleError);
  });

  it('cuts a very long handle in the error', () => {
    const error = new KafkaReceiptHandleError('x'.repeat(1000), 'malformed');
    expect(error.receiptHandle.length).toBeLessThan(210);
    expect(error.name).toBe('KafkaReceiptHandleError');
  });

  it('knows Kafka topic names', () => {
    expect(isKafkaTopicName('orders_v2.dlq-1')).toBe(true);
    expect(isKafkaTopicName('orders/v2')).toBe(false);
    expect(isKafkaTopicName('.')).toBe(false);
    expect(isKafkaTopicName('')).toBe(false);
  });
});
