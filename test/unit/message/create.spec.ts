import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  BurnPayload,
  EventType,
  InstructionType,
  MessageBusMessage,
  MessageValidationError,
  MintPayload,
  PaymentPayload,
  StatusUpdatePayload,
  TransactionStatusEventPayload,
  UnknownMessageTypeError,
} from './message-model';
import { PAYLOAD_CASES, payloadCase, thrown, without } from './message-samples';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const payment = payloadCase(InstructionType.PAYMENT);
const paymentDto = (): PaymentPayload => Object.assign(new PaymentPayload(), payment.valid);
const base = { source: 'BANKING_SERVICE', serviceToken: 'service.jwt.token' };

function createError(
  options: Parameters<typeof MessageBusMessage.create>[0],
): MessageValidationError {
  const error = thrown(() => MessageBusMessage.create(options));
  expect(error).toBeInstanceOf(MessageValidationError);
  return error as MessageValidationError;
}

describe('MessageBusMessage.create', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each(PAYLOAD_CASES.map((entry) => [entry.type, entry] as const))(
    'builds a valid %s message from its DTO and from a plain object alike',
    (type, entry) => {
      const typeOption = entry.kind === 'instruction' ? { instructionType: type } : { event: type };
      const key = '3e1f5d7b-8a4c-4f2d-8b6e-9c5a2d4f7e81';
      const fromDto = MessageBusMessage.create({
        ...base,
        ...typeOption,
        payload: Object.assign(new entry.payloadClass(), entry.valid),
        idempotencyKey: key,
      });
      const fromPlain = MessageBusMessage.create({
        ...base,
        ...typeOption,
        payload: { ...entry.valid },
        idempotencyKey: key,
      });
      for (const message of [fromDto, fromPlain]) {
        expect(message.kind).toBe(entry.kind);
        expect(message.type).toBe(type);
        expect(message.payload).toBeInstanceOf(entry.payloadClass);
        expect(message.toDict().payload).toEqual(entry.valid);
      }
      expect(fromDto.toDict()).toEqual(fromPlain.toDict());
    },
  );

  it('fills meta_data: source, UTC created_at to the second, token, a fresh UUID v4 and the type', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-07-04T23:59:58.987+02:00'));
    const message = MessageBusMessage.create({
      ...base,
      instructionType: InstructionType.PAYMENT,
      payload: paymentDto(),
    });
    const metaData = message.toDict().meta_data;
    expect(Object.keys(metaData)).toEqual([
      'source',
      'created_at',
      'token',
      'idempotency_key',
      'instruction_type',
    ]);
    expect(metaData.source).toBe('BANKING_SERVICE');
    expect(metaData.created_at).toBe('2026-07-04T21:59:58Z');
    expect(metaData.token).toBe('service.jwt.token');
    expect(metaData.idempotency_key).toMatch(UUID_V4);
    expect(metaData.instruction_type).toBe('PAYMENT');
  });

  it('stamps the current time in the Python client format', () => {
    const before = Math.floor(Date.now() / 1000);
    const message = MessageBusMessage.create({
      ...base,
      event: EventType.TRANSACTION_STATUS_UPDATE,
      payload: { reference: 'r', status: 's' },
    });
    const after = Math.floor(Date.now() / 1000);
    const createdAt = message.meta_data.created_at;
    expect(createdAt).toMatch(CREATED_AT);
    const seconds = Date.parse(createdAt) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(before);
    expect(seconds).toBeLessThanOrEqual(after);
  });

  it('generates a different idempotency key for every message', () => {
    const keys = new Set(
      Array.from(
        { length: 50 },
        () =>
          MessageBusMessage.create({ ...base, instructionType: 'PAYMENT', payload: paymentDto() })
            .meta_data.idempotency_key,
      ),
    );
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(UUID_V4);
  });

  it('keeps a given idempotency key and ip address', () => {
    const message = MessageBusMessage.create({
      ...base,
      instructionType: InstructionType.PAYMENT,
      payload: paymentDto(),
      idempotencyKey: 'order-42',
      ipAddress: '203.0.113.7',
    });
    expect(message.meta_data.idempotency_key).toBe('order-42');
    expect(message.toDict().meta_data.ip_address).toBe('203.0.113.7');
    expect(Object.keys(message.toDict().meta_data).at(-1)).toBe('ip_address');
  });

  it('makes an event message without instruction_type', () => {
    const message = MessageBusMessage.create({
      ...base,
      event: EventType.TRANSACTION_STATUS_UPDATE,
      payload: Object.assign(new TransactionStatusEventPayload(), {
        reference: 'MYK-1',
        status: 'DONE',
      }),
    });
    expect(message.kind).toBe('event');
    expect(message.toDict().meta_data).not.toHaveProperty('instruction_type');
    expect(message.toDict().meta_data.event).toBe('TRANSACTION_STATUS_UPDATE');
  });

  it.each([
    ['neither instructionType nor event', {}, /instructionType or event is required/],
    [
      'both instructionType and event',
      { instructionType: 'PAYMENT', event: 'NEW_BANK_PAYMENT' },
      /mutually exclusive/,
    ],
  ])('refuses %s', (_label, typeOptions, problem) => {
    const error = createError({ ...base, ...typeOptions, payload: paymentDto() });
    expect(error.fields).toEqual(['meta_data.instruction_type']);
    expect(error.message).toMatch(problem);
  });

  it('treats null like absent for the type options', () => {
    const message = MessageBusMessage.create({
      ...base,
      instructionType: 'PAYMENT',
      event: null as unknown as undefined,
      payload: paymentDto(),
    });
    expect(message.type).toBe('PAYMENT');
    createError({
      ...base,
      instructionType: null as unknown as undefined,
      event: null as unknown as undefined,
      payload: paymentDto(),
    });
  });

  it('refuses the DTO of another type, naming both classes', () => {
    const wrong = Object.assign(new StatusUpdatePayload(), { reference: 'REF-1', status: 'DONE' });
    const error = createError({
      ...base,
      instructionType: InstructionType.PAYMENT,
      payload: wrong,
    });
    expect(error).not.toBeInstanceOf(UnknownMessageTypeError);
    expect(error.fields).toEqual(['payload']);
    expect(error.message).toContain('PaymentPayload');
    expect(error.message).toContain('StatusUpdatePayload');
    expect(error.message).toContain('PAYMENT');
  });

  it('tells MINT and BURN payloads apart although they share their fields', () => {
    const fields = { value: '1', currency: 'EURC', reference: 'R', chain: 'stellar' };
    const error = createError({
      ...base,
      instructionType: 'BURN',
      payload: Object.assign(new MintPayload(), fields),
    });
    expect(error.message).toContain('BurnPayload');
    expect(error.message).toContain('MintPayload');
    expect(
      MessageBusMessage.create({
        ...base,
        instructionType: 'BURN',
        payload: Object.assign(new BurnPayload(), fields),
      }).payload,
    ).toBeInstanceOf(BurnPayload);
  });

  it('refuses an instance of an unrelated class', () => {
    const error = createError({ ...base, instructionType: 'PAYMENT', payload: new Date() });
    expect(error.message).toContain('Date');
  });

  it('accepts a plain object without a prototype', () => {
    const payload = Object.assign(Object.create(null) as Record<string, unknown>, payment.valid);
    const message = MessageBusMessage.create({ ...base, instructionType: 'PAYMENT', payload });
    expect(message.payload).toBeInstanceOf(PaymentPayload);
  });

  it('validates the payload and names every offending field', () => {
    const payload = { ...without(payment.valid, 'currency'), direction: 'UP', reference: '  ' };
    const error = createError({ ...base, instructionType: 'PAYMENT', payload });
    expect([...error.fields].sort()).toEqual([
      'payload.currency',
      'payload.direction',
      'payload.reference',
    ]);
  });

  it('validates a DTO instance too', () => {
    const dto = Object.assign(paymentDto(), { value: '' });
    expect(createError({ ...base, instructionType: 'PAYMENT', payload: dto }).fields).toEqual([
      'payload.value',
    ]);
  });

  it.each([
    ['source', { source: ' ' }, 'meta_data.source'],
    ['serviceToken', { serviceToken: '' }, 'meta_data.token'],
    ['idempotencyKey', { idempotencyKey: '   ' }, 'meta_data.idempotency_key'],
    ['ipAddress', { ipAddress: 7 as unknown as string }, 'meta_data.ip_address'],
  ])('validates the %s option as its meta_data field', (_option, override, field) => {
    const error = createError({
      ...base,
      instructionType: 'PAYMENT',
      payload: paymentDto(),
      ...override,
    });
    expect(error.fields).toEqual([field]);
  });

  it('refuses a payload that is not an object', () => {
    const error = createError({
      ...base,
      instructionType: 'PAYMENT',
      payload: 'PAYMENT' as unknown as object,
    });
    expect(error.fields).toEqual(['payload']);
  });

  it('refuses an unknown type before looking at the payload', () => {
    const error = thrown(() =>
      MessageBusMessage.create({ ...base, event: 'USER_INVITED', payload: {} }),
    );
    expect(error).toBeInstanceOf(UnknownMessageTypeError);
    expect((error as UnknownMessageTypeError).kind).toBe('event');
  });

  it('neither keeps nor changes the object it was given', () => {
    const dto = Object.assign(paymentDto(), { note: 'unknown field' });
    const message = MessageBusMessage.create({ ...base, instructionType: 'PAYMENT', payload: dto });
    expect(message.payload).not.toBe(dto);
    expect(dto).toHaveProperty('note', 'unknown field');
    dto.currency = 'GBP';
    expect(message.toDict().payload.currency).toBe('EUR');
  });
});
