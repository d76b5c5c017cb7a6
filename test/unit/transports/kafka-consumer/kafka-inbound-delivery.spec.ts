import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  decodeKafkaHeaders,
  toKafkaInboundDelivery,
} from '../../../../lib/transports/kafka/consumer/kafka-inbound-delivery';
import { kafkaMessage } from './kafka-consumer-fakes';

describe('toKafkaInboundDelivery', () => {
  it('passes the value bytes as they are, with the key and headers as UTF-8 text and the attempt', () => {
    const message = {
      ...kafkaMessage('7', '{"a": 1}', 'clé-1'),
      headers: { 'trace-id': Buffer.from('t-ü'), plain: 'text' },
    } as KafkaMessage;

    expect(toKafkaInboundDelivery('payments', 3, message, 2).toJSON()).toEqual({
      transport: 'kafka',
      source: 'payments',
      body: message.value,
      attempt: 2,
      partition: 3,
      offset: '7',
      key: 'clé-1',
      headers: { 'trace-id': 't-ü', plain: 'text' },
    });
  });

  it('reads the key and headers as the record has them when first asked, and names a given offset', () => {
    const message = {
      ...kafkaMessage('7', '{"a": 1}', 'k-1'),
      headers: { h: Buffer.from('one') },
    } as KafkaMessage;
    const delivery = toKafkaInboundDelivery('payments', 1, message, 1, '3');
    const { key, headers } = delivery;

    expect({ key, headers, offset: delivery.offset }).toEqual({
      key: 'k-1',
      headers: { h: 'one' },
      offset: '3',
    });
    // Read once: the same text again, not a new decoding.
    expect(delivery.headers).toBe(headers);
  });

  it('gives a record without value an empty body, and leaves out a missing key and headers', () => {
    const message = {
      ...kafkaMessage('0', 'x', null),
      value: null,
      headers: undefined,
    } as unknown as KafkaMessage;
    const delivery = toKafkaInboundDelivery('payments', 0, message, 1);

    expect(delivery.body).toEqual(new Uint8Array(0));
    expect(delivery.key).toBeUndefined();
    expect(delivery.headers).toBeUndefined();
  });

  it('keeps the last value of a header sent more than once, and drops empty ones', () => {
    expect(
      decodeKafkaHeaders({
        twice: [Buffer.from('first'), Buffer.from('last')],
        none: undefined,
        empty: [],
      }),
    ).toEqual({ twice: 'last' });
  });
});
