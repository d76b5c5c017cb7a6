import type { KafkaMessage, Message } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KAFKA_DEAD_LETTER_HEADERS } from '../../../../lib/transports/kafka/consumer/kafka-consumer.constants';
import {
  toKafkaDeadLetterRecord,
  toTruncatedKafkaDeadLetterRecord,
} from '../../../../lib/transports/kafka/consumer/kafka-dead-letter-record';
import {
  headerBytes,
  kafkaRecordBatchBytes,
} from '../../../../lib/transports/kafka/consumer/kafka-record-size';
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

describe('toTruncatedKafkaDeadLetterRecord', () => {
  const full = (value: string | Buffer | null): Message =>
    toKafkaDeadLetterRecord(
      { ...kafkaMessage('41', 'x', 'customer-7'), value: value as Buffer },
      { ...facts, reason: 'invalid-message: MessageValidationError: Invalid message' },
    );

  it('keeps key and bus-* headers, drops the original headers, and cuts the value to fit the limit', () => {
    const value = Buffer.alloc(5_000, 0x61);
    const record = toTruncatedKafkaDeadLetterRecord(full(value), 2_000);

    expect(record.key).toEqual(Buffer.from('customer-7'));
    expect(record.headers?.['trace-id']).toBeUndefined();
    expect(record.headers).toMatchObject({
      'bus-reason': 'invalid-message: MessageValidationError: Invalid message',
      'bus-original-topic': 'payments',
      'bus-original-partition': '2',
      'bus-original-offset': '41',
      'bus-truncated': 'true',
      'bus-original-size': '5000',
    });
    expect(kafkaRecordBatchBytes(record)).toBeLessThanOrEqual(2_000);
    // As much as fits: the estimate counts every varint at 5 bytes, so a little is lost.
    expect((record.value as Buffer).length).toBeGreaterThan(
      2_000 - headerBytes(record.headers) - 120,
    );
    expect(value.subarray(0, (record.value as Buffer).length)).toEqual(record.value);
  });

  it('measures a string value in UTF-8 bytes and keeps an empty value when nothing fits', () => {
    const record = toTruncatedKafkaDeadLetterRecord(full('€'.repeat(1_000)), 2_000);
    expect(record.headers?.['bus-original-size']).toBe('3000');
    expect(kafkaRecordBatchBytes(record)).toBeLessThanOrEqual(2_000);

    const tiny = toTruncatedKafkaDeadLetterRecord(full('€'.repeat(1_000)), 100);
    expect((tiny.value as Buffer).length).toBe(0);
    expect(toTruncatedKafkaDeadLetterRecord(full(null), 2_000).value).toBeNull();
  });

  it('never underestimates what the broker measures for one uncompressed record', () => {
    // Broker-measured size of one record batch with a 1-byte key, a 925-byte value and no
    // headers is 1000 bytes (a topic with max.message.bytes 1000 takes 925 and refuses 940).
    expect(kafkaRecordBatchBytes({ key: 'k', value: Buffer.alloc(925) })).toBeGreaterThanOrEqual(
      1_000,
    );
  });
});
