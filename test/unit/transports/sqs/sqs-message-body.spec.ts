import { describe, expect, it } from 'vitest';
import { MessageValidationError } from '../../../../lib/errors/message-validation.error';
import { MessageBusMessage } from '../../../../lib/message/message-bus-message';
import {
  looksLikeEnvelope,
  readSqsIncomingBody,
  toSqsOutgoingBody,
} from '../../../../lib/transports/sqs/sqs-message-body';
import { invalidEnvelope, paymentMessage, SERVICE_TOKEN } from './sqs-fixtures';

describe('toSqsOutgoingBody', () => {
  it('sends a message as serialize(), with its idempotency key for FIFO deduplication', () => {
    const message = paymentMessage('key-1');
    expect(toSqsOutgoingBody(message)).toEqual({
      body: message.serialize(),
      idempotencyKey: 'key-1',
    });
  });

  it('validates a plain envelope and sends its serialize()', () => {
    const message = paymentMessage('key-2');
    const plain = JSON.parse(JSON.stringify(message)) as Record<string, unknown>;
    expect(toSqsOutgoingBody(plain)).toEqual({
      body: message.serialize(),
      idempotencyKey: 'key-2',
    });
  });

  it('rejects an invalid plain envelope with the field, and without the token', () => {
    let caught: unknown;
    try {
      toSqsOutgoingBody(invalidEnvelope());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MessageValidationError);
    expect((caught as MessageValidationError).fields).toContain('payload.currency');
    expect((caught as Error).message).not.toContain(SERVICE_TOKEN);
  });

  it('treats an object with only payload as an envelope, and refuses it', () => {
    expect(() => toSqsOutgoingBody({ payload: { a: 1 } })).toThrowError(MessageValidationError);
  });

  it("sends other plain objects as JSON in the Python client's json.dumps format", () => {
    expect(toSqsOutgoingBody({ kind: 'ping', n: 1, name: 'Zoë', list: [1, 'a'] })).toEqual({
      body: '{"kind": "ping", "n": 1, "name": "Zo\\u00eb", "list": [1, "a"]}',
    });
  });

  it('applies toJSON to values, as JSON.stringify would', () => {
    expect(toSqsOutgoingBody({ at: new Date('2024-01-02T03:04:05.000Z') }).body).toBe(
      '{"at": "2024-01-02T03:04:05.000Z"}',
    );
  });

  it.each([
    ['an array', [1, 2]],
    ['a string', 'text'],
    ['null', null],
    ['a class instance', new (class Order {})()],
  ])('refuses %s', (_label, value) => {
    expect(() => toSqsOutgoingBody(value as never)).toThrowError(
      /body must be a MessageBusMessage or a plain object/,
    );
  });

  it('refuses a cyclic object as unserialisable', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => toSqsOutgoingBody(cyclic)).toThrowError(/cannot be serialised as JSON/);
  });
});

describe('readSqsIncomingBody', () => {
  it('returns a raw string body when it is not JSON', () => {
    expect(readSqsIncomingBody('not json {')).toEqual({ body: 'not json {' });
  });

  it('parses a JSON body that is not an envelope, without validating it', () => {
    expect(readSqsIncomingBody('{"kind": "ping"}')).toEqual({ body: { kind: 'ping' } });
    expect(readSqsIncomingBody('[1, 2]')).toEqual({ body: [1, 2] });
  });

  it('validates an envelope and returns the message', () => {
    const sent = paymentMessage('key-3');
    const read = readSqsIncomingBody(sent.serialize());
    expect(read.message).toBeInstanceOf(MessageBusMessage);
    expect(read.message?.serialize()).toBe(sent.serialize());
    expect(read.validationError).toBeUndefined();
  });

  it('returns the validation error of an invalid envelope instead of throwing', () => {
    const read = readSqsIncomingBody(JSON.stringify(invalidEnvelope()));
    expect(read.message).toBeUndefined();
    expect(read.validationError).toBeInstanceOf(MessageValidationError);
    expect(read.validationError?.fields).toContain('payload.currency');
    expect(read.body).toEqual(invalidEnvelope());
  });

  it('tells envelopes by meta_data or payload', () => {
    expect(looksLikeEnvelope({ meta_data: {} })).toBe(true);
    expect(looksLikeEnvelope({ payload: 1 })).toBe(true);
    expect(looksLikeEnvelope({ data: 1 })).toBe(false);
    expect(looksLikeEnvelope([{ payload: 1 }])).toBe(false);
  });
});
