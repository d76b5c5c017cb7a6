import { describe, expect, it } from 'vitest';
import {
  InstructionType,
  MessageBusMessage,
  MessageValidationError,
  UnknownMessageTypeError,
} from '../../../../lib/index';
import { readKafkaValue, toKafkaValue } from '../../../../lib/transports/kafka/kafka-message-codec';

const payment = {
  external_reference: 'P123',
  payer_name: 'Zoë Ünal',
  currency: 'EUR',
  value: '100.00',
  source: 'BANK',
  reference: 'REF123',
  direction: 'INBOUND',
};

const wire = {
  meta_data: {
    source: 'BANKING_SERVICE',
    created_at: '2026-01-01T00:00:00Z',
    token: 'service.jwt.token',
    idempotency_key: 'key-1',
    instruction_type: 'PAYMENT',
  },
  payload: payment,
};

describe('toKafkaValue', () => {
  it('sends a MessageBusMessage as its serialize() text', () => {
    const message = MessageBusMessage.create({
      source: 'BANKING_SERVICE',
      instructionType: InstructionType.PAYMENT,
      payload: payment,
      serviceToken: 'service.jwt.token',
    });
    expect(toKafkaValue(message)).toBe(message.serialize());
  });

  it('validates a plain envelope and sends its canonical text, unknown fields dropped', () => {
    const value = toKafkaValue({ ...wire, payload: { ...payment, extra: 'dropped' } });
    expect(value).toBe(MessageBusMessage.fromJSON(wire).serialize());
    expect(value).toContain('"payer_name": "Zo\\u00eb \\u00dcnal"');
    expect(value).not.toContain('extra');
  });

  it('refuses an invalid envelope, naming the field', () => {
    const error = (() => {
      try {
        toKafkaValue({ ...wire, payload: { ...payment, currency: '' } });
      } catch (caught) {
        return caught as MessageValidationError;
      }
      throw new Error('expected a MessageValidationError');
    })();
    expect(error).toBeInstanceOf(MessageValidationError);
    expect(error.fields).toContain('payload.currency');
  });

  it('refuses a half-built envelope (payload without meta_data)', () => {
    expect(() => toKafkaValue({ payload: payment })).toThrow(MessageValidationError);
  });

  it('refuses an envelope of an unknown type', () => {
    const unknown = { ...wire, meta_data: { ...wire.meta_data, instruction_type: 'TELEPORT' } };
    expect(() => toKafkaValue(unknown)).toThrow(UnknownMessageTypeError);
  });

  it('sends any other plain object as json.dumps would', () => {
    expect(toKafkaValue({ hello: 'wörld', n: [1, 2] })).toBe(
      '{"hello": "w\\u00f6rld", "n": [1, 2]}',
    );
  });

  it('refuses what is not a plain object', () => {
    expect(() => toKafkaValue([1, 2] as unknown as Record<string, unknown>)).toThrow(
      MessageValidationError,
    );
    expect(() => toKafkaValue(new Date() as unknown as Record<string, unknown>)).toThrow(
      MessageValidationError,
    );
  });
});

describe('readKafkaValue', () => {
  it('validates an envelope', () => {
    const read = readKafkaValue(Buffer.from(MessageBusMessage.fromJSON(wire).serialize()));
    expect(read.message).toBeInstanceOf(MessageBusMessage);
    expect(read.message?.type).toBe('PAYMENT');
    expect(read.validationError).toBeUndefined();
    expect(read.body).toMatchObject(wire);
  });

  it('returns the validation error of an invalid envelope instead of throwing', () => {
    const read = readKafkaValue(
      Buffer.from(JSON.stringify({ ...wire, meta_data: { ...wire.meta_data, token: '' } })),
    );
    expect(read.message).toBeUndefined();
    expect(read.validationError?.fields).toContain('meta_data.token');
  });

  it('returns other JSON as is, and text that is not JSON as text', () => {
    expect(readKafkaValue(Buffer.from('{"a": 1}'))).toEqual({ body: { a: 1 } });
    expect(readKafkaValue(Buffer.from('not json'))).toEqual({ body: 'not json' });
    expect(readKafkaValue(null)).toEqual({ body: null });
  });
});
