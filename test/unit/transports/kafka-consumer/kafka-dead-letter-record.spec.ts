import type { KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KAFKA_DEAD_LETTER_HEADERS } from '../../../../lib/transports/kafka/consumer/kafka-consumer.constants';
import { toKafkaDeadLetterRecord } from '../../../../lib/transports/kafka/consumer/kafka-dead-letter-record';
import { kafkaMessage } from './kafka-consumer-fakes';

const facts = {
  topic: 'payments',
  groupId: 'payments_consumer_group',
  partition: 2,
  offset: '41',
  attempts: 3,
  reason: 'handler-error: Error: boom',
  failedAt: new Date('2026-03-14T09:26:53.000Z'),
};

describe('toKafkaDeadLetterRecord', () => {
  it('keeps the original key and value bytes and adds why and where from as bus-* headers', () => {
    const original = kafkaMessage('41', '\u00ff not json', 'customer-7');
    const record = toKafkaDeadLetterRecord(original, facts);

    expect(record.key).toBe(original.key);
    expect(record.value).toBe(original.value);
    expect(record.headers).toEqual({
      'trace-id': original.headers?.['trace-id'],
      'bus-reason': 'handler-error: Error: boom',
      'bus-original-topic': 'payments',
      'bus-original-partition': '2',
      'bus-original-offset': '41',
      'bus-consumer-group': 'payments_consumer_group',
      'bus-attempts': '3',
      'bus-failed-at': '2026-03-14T09:26:53.000Z',
    });
    expect(
      Object.values(KAFKA_DEAD_LETTER_HEADERS).every(
        (name) => record.headers?.[name] !== undefined,
      ),
    ).toBe(true);
  });

  it("replaces a replayed message's old bus-* headers with this failure's, and keeps a record without key or value as it is", () => {
    const replayed = {
      ...kafkaMessage('41', 'x', null),
      value: null,
      headers: { 'bus-attempts': '5', 'bus-reason': 'old', gone: undefined },
    } as KafkaMessage;
    const record = toKafkaDeadLetterRecord(replayed, facts);

    expect(record.key).toBeNull();
    expect(record.value).toBeNull();
    expect(record.headers?.['bus-attempts']).toBe('3');
    expect(record.headers?.['bus-reason']).toBe('handler-error: Error: boom');
    expect(record.headers).not.toHaveProperty('gone');
  });
});
