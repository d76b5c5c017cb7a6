import { describe, expect, it } from 'vitest';
import {
  EventType,
  InstructionType,
  MessageBusError,
  MessageBusMessage,
  MessageValidationError,
  PaymentPayload,
  UnknownMessageTypeError,
} from './message-model';
import {
  SECRET_PASSWORD,
  SECRET_TOKEN,
  payloadCase,
  thrown,
  validMetaData,
  without,
  wireMessage,
  type Json,
} from './message-samples';

const payment = payloadCase(InstructionType.PAYMENT);
const validPayment = (): Json => wireMessage('instruction', InstructionType.PAYMENT, payment.valid);
const withMeta = (metaData: unknown): Json => ({ meta_data: metaData, payload: payment.valid });

function validationError(input: unknown): MessageValidationError {
  const error = thrown(() => MessageBusMessage.fromJSON(input as object));
  expect(error).toBeInstanceOf(MessageValidationError);
  return error as MessageValidationError;
}

function expectOnlyField(input: unknown, field: string): MessageValidationError {
  const error = validationError(input);
  expect(error).not.toBeInstanceOf(UnknownMessageTypeError);
  expect(error.fields).toEqual([field]);
  expect(error.message).toContain(field);
  return error;
}

const REQUIRED_META = ['source', 'created_at', 'token', 'idempotency_key'] as const;
const BLANKS = ['', '   ', '\t'];

describe('envelope', () => {
  it('accepts a valid instruction and a valid event', () => {
    const instruction = MessageBusMessage.fromJSON(validPayment());
    expect(instruction.kind).toBe('instruction');
    expect(instruction.type).toBe('PAYMENT');
    expect(instruction.payload).toBeInstanceOf(PaymentPayload);
    expect(instruction.toDict().meta_data).toEqual(validMetaData('instruction', 'PAYMENT'));

    const status = payloadCase(EventType.TRANSACTION_STATUS_UPDATE);
    const event = MessageBusMessage.fromJSON(wireMessage('event', status.type, status.valid));
    expect(event.kind).toBe('event');
    expect(event.type).toBe('TRANSACTION_STATUS_UPDATE');
    expect(event.toDict().meta_data).not.toHaveProperty('instruction_type');
  });

  describe('meta_data fields', () => {
    it.each(REQUIRED_META)('rejects a missing meta_data.%s', (field) => {
      const error = expectOnlyField(
        withMeta(without(validMetaData('instruction', 'PAYMENT'), field)),
        `meta_data.${field}`,
      );
      expect(error.message).toContain(`meta_data.${field} is required`);
    });

    it.each(REQUIRED_META)('rejects a null meta_data.%s', (field) => {
      expectOnlyField(
        withMeta({ ...validMetaData('instruction', 'PAYMENT'), [field]: null }),
        `meta_data.${field}`,
      );
    });

    it.each(
      REQUIRED_META.flatMap((field) =>
        BLANKS.map((blank) => [field, JSON.stringify(blank), blank] as const),
      ),
    )('rejects meta_data.%s = %s', (field, _shown, blank) => {
      const error = expectOnlyField(
        withMeta({ ...validMetaData('instruction', 'PAYMENT'), [field]: blank }),
        `meta_data.${field}`,
      );
      expect(error.message).toContain(`meta_data.${field} must not be blank`);
    });

    it.each(REQUIRED_META)('rejects a non-string meta_data.%s', (field) => {
      for (const value of [1, true, ['x'], { x: 'y' }]) {
        expectOnlyField(
          withMeta({ ...validMetaData('instruction', 'PAYMENT'), [field]: value }),
          `meta_data.${field}`,
        );
      }
    });

    it('checks created_at, token and idempotency_key only for being non-blank strings, as the Python client does', () => {
      const metaData = {
        ...validMetaData('instruction', 'PAYMENT'),
        created_at: 'yesterday-ish',
        token: 'not-a-jwt',
        idempotency_key: 'order-42',
      };
      expect(MessageBusMessage.fromJSON(withMeta(metaData)).toDict().meta_data).toEqual(metaData);
    });

    it('accepts ip_address absent, null or set, and omits it from the wire unless set', () => {
      const base = validMetaData('instruction', 'PAYMENT');
      expect(MessageBusMessage.fromJSON(withMeta(base)).toDict().meta_data).not.toHaveProperty(
        'ip_address',
      );
      const nulled = MessageBusMessage.fromJSON(withMeta({ ...base, ip_address: null }));
      expect(nulled.toDict().meta_data).not.toHaveProperty('ip_address');
      expect(nulled.serialize()).not.toContain('ip_address');
      const set = MessageBusMessage.fromJSON(withMeta({ ...base, ip_address: '2001:db8::1' }));
      expect(set.toDict().meta_data.ip_address).toBe('2001:db8::1');
    });

    // Peer models §1.1 and §1.3: both peers accept a blank ip_address.
    it.each(BLANKS)('accepts meta_data.ip_address = %j as given', (blank) => {
      const metaData = { ...validMetaData('instruction', 'PAYMENT'), ip_address: blank };
      const message = MessageBusMessage.fromJSON(withMeta(metaData));
      expect(message.meta_data.ip_address).toBe(blank);
      expect(message.toDict().meta_data).toEqual(metaData);
    });

    it.each([5, true, ['x']])('rejects meta_data.ip_address = %j', (value) => {
      expectOnlyField(
        withMeta({ ...validMetaData('instruction', 'PAYMENT'), ip_address: value }),
        'meta_data.ip_address',
      );
    });
  });

  describe('instruction_type and event: one decides', () => {
    it('rejects a meta_data with neither', () => {
      const metaData = without(validMetaData('instruction', 'PAYMENT'), 'instruction_type');
      const error = expectOnlyField(withMeta(metaData), 'meta_data.instruction_type');
      expect(error.message).toContain('instruction_type or event is required');
      expectOnlyField(
        withMeta({ ...metaData, instruction_type: null, event: null }),
        'meta_data.instruction_type',
      );
    });

    // Peer models §1.3 and §7 PY 6 (the full table is in tolerant-reader.spec.ts).
    it('reads a meta_data with both as the instruction, and writes the instruction alone', () => {
      const metaData = { ...validMetaData('instruction', 'PAYMENT'), event: 'NEW_BANK_PAYMENT' };
      const message = MessageBusMessage.fromJSON(withMeta(metaData));
      expect(message.kind).toBe('instruction');
      expect(message.type).toBe('PAYMENT');
      expect(message.toDict().meta_data).toEqual(validMetaData('instruction', 'PAYMENT'));
    });

    it.each(BLANKS)('rejects a blank instruction_type %j', (blank) => {
      expectOnlyField(
        withMeta({ ...validMetaData('instruction', 'PAYMENT'), instruction_type: blank }),
        'meta_data.instruction_type',
      );
    });

    it.each(BLANKS)('rejects a blank event %j', (blank) => {
      const status = payloadCase(EventType.TRANSACTION_STATUS_UPDATE);
      const error = validationError({
        meta_data: { ...validMetaData('event', 'x'), event: blank },
        payload: status.valid,
      });
      expect(error.fields).toContain('meta_data.event');
      expect(error.fields.every((field) => field.startsWith('meta_data.'))).toBe(true);
    });

    it.each([1, true, { type: 'PAYMENT' }])('rejects a non-string instruction_type %j', (value) => {
      expectOnlyField(
        withMeta({ ...validMetaData('instruction', 'PAYMENT'), instruction_type: value }),
        'meta_data.instruction_type',
      );
    });

    it('compares types case-sensitively, as on the bus', () => {
      const error = thrown(() =>
        MessageBusMessage.fromJSON(wireMessage('instruction', 'payment', payment.valid)),
      );
      expect(error).toBeInstanceOf(UnknownMessageTypeError);
    });
  });

  describe('sections and body', () => {
    it.each([
      ['missing', undefined, 'meta_data is required'],
      ['null', null, 'meta_data is required'],
      ['an array', [validMetaData('instruction', 'PAYMENT')], 'meta_data must be a JSON object'],
      ['a string', 'PAYMENT', 'meta_data must be a JSON object'],
      ['a number', 3, 'meta_data must be a JSON object'],
    ])('rejects meta_data that is %s', (_label, metaData, problem) => {
      const input = metaData === undefined ? { payload: payment.valid } : withMeta(metaData);
      const error = validationError(input);
      expect(error.fields).toContain('meta_data');
      expect(error.message).toContain(problem);
    });

    it.each([
      ['null', null, 'payload is required'],
      ['an array', [payment.valid], 'payload must be a JSON object'],
      ['a string', 'payment', 'payload must be a JSON object'],
      ['a boolean', false, 'payload must be a JSON object'],
    ])('rejects a payload that is %s', (_label, payload, problem) => {
      const input =
        payload === undefined
          ? { meta_data: validMetaData('instruction', 'PAYMENT') }
          : { ...validPayment(), payload };
      const error = expectOnlyField(input, 'payload');
      expect(error.message).toContain(problem);
    });

    it.each(['{"meta_data": ', 'not json', '', "{'meta_data': {}}", '{"a": 1,}'])(
      'rejects invalid JSON %j',
      (text) => {
        const error = expectOnlyField(text, 'body');
        expect(error.message).toContain('not valid JSON');
      },
    );

    it.each(['[]', '"text"', '42', 'null', 'true', '[{"meta_data": {}}]'])(
      'rejects the non-object body %s',
      (text) => {
        const error = expectOnlyField(text, 'body');
        expect(error.message).toContain('body must be a JSON object');
      },
    );

    it('rejects a body whose sections are both wrong, naming both', () => {
      const error = validationError('{"meta_data": [], "payload": "x"}');
      expect(error.fields).toEqual(['meta_data', 'payload']);
    });

    it('parses a JSON text, its UTF-8 bytes as a Uint8Array or a Buffer, and a parsed object alike', () => {
      const text = JSON.stringify(validPayment());
      const expected = MessageBusMessage.fromJSON(validPayment()).serialize();
      expect(MessageBusMessage.fromJSON(text).serialize()).toBe(expected);
      expect(MessageBusMessage.fromJSON(new TextEncoder().encode(text)).serialize()).toBe(expected);
      expect(MessageBusMessage.fromJSON(Buffer.from(text, 'utf8')).serialize()).toBe(expected);
      // The sample's payer_name is not ASCII: the bytes must be decoded as UTF-8.
      expect(
        MessageBusMessage.fromJSON(Buffer.from(text, 'utf8')).toDict().payload.payer_name,
      ).toBe('José Müller');
    });

    it('reports invalid JSON bytes as invalid JSON', () => {
      expectOnlyField(new TextEncoder().encode('{"meta_data": {'), 'body');
    });
  });

  describe('MessageValidationError', () => {
    it('is a MessageBusError with its own name', () => {
      const error = validationError(withMeta(null));
      expect(error).toBeInstanceOf(MessageBusError);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('MessageValidationError');
    });

    it('names every offending field of both sections, by wire path, in one error', () => {
      const input = {
        meta_data: { ...validMetaData('instruction', 'PAYMENT'), token: '  ', source: undefined },
        payload: { ...without(payment.valid, 'currency'), direction: 'UP', value: '' },
      };
      const error = validationError(input);
      const expected = [
        'meta_data.source',
        'meta_data.token',
        'payload.currency',
        'payload.value',
        'payload.direction',
      ];
      expect([...error.fields].sort()).toEqual([...expected].sort());
      for (const field of expected) expect(error.message).toContain(field);
      for (const issue of error.issues) {
        expect(issue.problems.length).toBeGreaterThan(0);
        for (const problem of issue.problems) expect(problem.startsWith(issue.field)).toBe(true);
      }
    });

    it('validates the payload even when meta_data is otherwise invalid, as long as the type is readable', () => {
      const error = validationError({ meta_data: { instruction_type: 'PAYMENT' }, payload: {} });
      for (const field of [
        ...REQUIRED_META.map((f) => `meta_data.${f}`),
        ...payment.required.map((f) => `payload.${f}`),
      ]) {
        expect(error.fields).toContain(field);
      }
    });

    it('never contains a field value: not the token, not a password, not a rejected value', () => {
      const rejectedValues = ['SIDEWAYS-4f1e9c', 'not-a-currency-b7d2'];
      const cases: unknown[] = [
        // Valid secrets next to invalid fields.
        {
          ...validPayment(),
          payload: { ...payment.valid, direction: rejectedValues[0], value: '' },
        },
        {
          meta_data: { ...validMetaData('event', EventType.PASSWORD_RESET_REQUESTED), source: ' ' },
          payload: { to: '', subject: 'Reset', password: SECRET_PASSWORD },
        },
        // The secrets themselves in the wrong shape.
        {
          meta_data: { ...validMetaData('instruction', 'PAYMENT'), token: { jwt: SECRET_TOKEN } },
          payload: { ...payment.valid, currency: [rejectedValues[1]] },
        },
        {
          meta_data: validMetaData('event', EventType.PASSWORD_RESET_REQUESTED),
          payload: { to: 'a@example.com', subject: 'Reset', password: [SECRET_PASSWORD] },
        },
      ];
      for (const input of cases) {
        const error = validationError(input);
        const exposed = [
          error.message,
          JSON.stringify(error.issues),
          String(error.stack),
          JSON.stringify(error),
        ].join('\n');
        for (const value of [SECRET_TOKEN, SECRET_PASSWORD, ...rejectedValues])
          expect(exposed).not.toContain(value);
      }
    });
  });

  describe('unknown message types', () => {
    it('rejects an event no peer defines as unknown', () => {
      const error = thrown(() =>
        MessageBusMessage.fromJSON(wireMessage('event', 'USER_INVITED', { id: 'u-1' })),
      );
      expect(error).toBeInstanceOf(UnknownMessageTypeError);
      expect(error).toBeInstanceOf(MessageValidationError);
      const unknown = error as UnknownMessageTypeError;
      expect(unknown.name).toBe('UnknownMessageTypeError');
      expect(unknown.kind).toBe('event');
      expect(unknown.messageType).toBe('USER_INVITED');
      expect(unknown.fields).toEqual(['meta_data.event']);
      expect(unknown.message).toContain('USER_INVITED');
    });

    it('rejects a made-up instruction type as unknown', () => {
      const error = thrown(() =>
        MessageBusMessage.fromJSON(wireMessage('instruction', 'LAUNCH_ROCKET', {})),
      );
      expect(error).toBeInstanceOf(UnknownMessageTypeError);
      expect((error as UnknownMessageTypeError).kind).toBe('instruction');
      expect((error as UnknownMessageTypeError).messageType).toBe('LAUNCH_ROCKET');
      expect((error as UnknownMessageTypeError).fields).toEqual(['meta_data.instruction_type']);
    });

    it('does not confuse kinds: an event name sent as an instruction type is unknown', () => {
      const error = thrown(() =>
        MessageBusMessage.fromJSON(
          wireMessage(
            'instruction',
            EventType.NEW_PROFILE,
            payloadCase(EventType.NEW_PROFILE).valid,
          ),
        ),
      );
      expect(error).toBeInstanceOf(UnknownMessageTypeError);
    });

    it('lists an unknown type with the other problems when the envelope is also invalid', () => {
      const error = validationError({
        meta_data: { ...validMetaData('event', 'USER_INVITED'), token: '' },
        payload: [],
      });
      expect(error).not.toBeInstanceOf(UnknownMessageTypeError);
      expect(error.fields).toEqual(
        expect.arrayContaining(['meta_data.token', 'payload', 'meta_data.event']),
      );
    });
  });

  describe('unknown fields', () => {
    it('drops unknown fields at the top, in meta_data and in the payload', () => {
      const input = {
        ...validPayment(),
        extra_section: { a: 1 },
        meta_data: { ...validMetaData('instruction', 'PAYMENT'), trace_id: 'abc', priority: 3 },
        payload: { ...payment.valid, note: 'hello', amount_cents: 125000 },
      };
      const message = MessageBusMessage.fromJSON(input);
      expect(message.toDict()).toEqual(validPayment());
      expect(message.meta_data).not.toHaveProperty('trace_id');
      expect(message.payload).not.toHaveProperty('note');
      for (const name of ['extra_section', 'trace_id', 'priority', 'note', 'amount_cents']) {
        expect(message.serialize()).not.toContain(name);
        expect(JSON.stringify(message)).not.toContain(name);
      }
    });
  });

  describe('prototype pollution', () => {
    const pollutedBefore = (): void => {
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    };

    const attack = (slot: string): string => {
      const proto = `"__proto__": {"polluted": "yes", "${slot}": "from-proto"}`;
      const ctor = `"constructor": {"prototype": {"polluted": "yes"}}`;
      return `${proto}, ${ctor}`;
    };

    it.each([
      [
        'the top level',
        (a: string) =>
          `{${a}, "meta_data": ${JSON.stringify(validMetaData('instruction', 'PAYMENT'))}, "payload": ${JSON.stringify(payment.valid)}}`,
      ],
      [
        'meta_data',
        (a: string) =>
          `{"meta_data": {${a}, ${JSON.stringify(validMetaData('instruction', 'PAYMENT')).slice(1)}, "payload": ${JSON.stringify(payment.valid)}}`,
      ],
      [
        'the payload',
        (a: string) =>
          `{"meta_data": ${JSON.stringify(validMetaData('instruction', 'PAYMENT'))}, "payload": {${a}, ${JSON.stringify(payment.valid).slice(1)}}`,
      ],
    ])('keys __proto__ and constructor in %s have no effect', (_where, build) => {
      pollutedBefore();
      const message = MessageBusMessage.fromJSON(build(attack('x')));
      pollutedBefore();
      expect(message.toDict()).toEqual(validPayment());
      expect(Object.getPrototypeOf(message.payload)).toBe(PaymentPayload.prototype);
      expect((message.payload as Record<string, unknown>).polluted).toBeUndefined();
      expect((message.meta_data as unknown as Record<string, unknown>).polluted).toBeUndefined();
      expect(message.serialize()).not.toContain('polluted');
      expect(message.serialize()).not.toContain('__proto__');
    });

    it('cannot supply a missing required field through __proto__', () => {
      const payload = `{"__proto__": {"currency": "EUR"}, ${JSON.stringify(without(payment.valid, 'currency')).slice(1)}`;
      const metaData = `{"__proto__": {"token": "${SECRET_TOKEN}"}, ${JSON.stringify(without(validMetaData('instruction', 'PAYMENT'), 'token')).slice(1)}`;
      const error = validationError(`{"meta_data": ${metaData}, "payload": ${payload}}`);
      expect([...error.fields].sort()).toEqual(['meta_data.token', 'payload.currency']);
      pollutedBefore();
    });

    it('cannot supply meta_data or the payload through __proto__ at the top level', () => {
      const sections = `{"meta_data": ${JSON.stringify(validMetaData('instruction', 'PAYMENT'))}, "payload": ${JSON.stringify(payment.valid)}}`;
      const error = validationError(`{"__proto__": ${sections}}`);
      // A missing payload reads as `{}`; with no readable type there is nothing to check it by.
      expect([...error.fields].sort()).toEqual(['meta_data']);
      expect(error.message).toContain('meta_data is required');
      // With the type readable, the payload is still the empty one, not the prototype's.
      const ownMeta = `{"__proto__": {"payload": ${JSON.stringify(payment.valid)}}, "meta_data": ${JSON.stringify(validMetaData('instruction', 'PAYMENT'))}}`;
      expect([...validationError(ownMeta).fields].sort()).toEqual(
        payment.required.map((field) => `payload.${field}`).sort(),
      );
      pollutedBefore();
    });

    it('cannot declare the message type through __proto__', () => {
      const metaData = `{"__proto__": {"instruction_type": "PAYMENT"}, ${JSON.stringify(without(validMetaData('instruction', 'PAYMENT'), 'instruction_type')).slice(1)}`;
      const error = validationError(
        `{"meta_data": ${metaData}, "payload": ${JSON.stringify(payment.valid)}}`,
      );
      expect(error.fields).toContain('meta_data.instruction_type');
    });

    it('keys __proto__ and constructor in a relay string record have no effect', () => {
      const relay = payloadCase(EventType.RELAY_COMPLETED);
      const text =
        `{"meta_data": ${JSON.stringify(validMetaData('event', relay.type))}, "payload": {"email": "a@example.com", ` +
        `"payload": {"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "tx": "0xabc"}}}`;
      const message = MessageBusMessage.fromJSON(text);
      pollutedBefore();
      const record = message.toDict().payload.payload as Record<string, unknown>;
      expect(record).toEqual({ tx: '0xabc' });
      expect(record.polluted).toBeUndefined();
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
      expect(message.serialize()).not.toContain('polluted');
    });

    it('ignores own __proto__ and constructor keys on an object given directly', () => {
      const payload: Json = { ...payment.valid };
      Object.defineProperty(payload, '__proto__', { value: { polluted: 'yes' }, enumerable: true });
      Object.defineProperty(payload, 'constructor', {
        value: { prototype: { polluted: 'yes' } },
        enumerable: true,
      });
      const message = MessageBusMessage.fromJSON({
        meta_data: validMetaData('instruction', 'PAYMENT'),
        payload,
      });
      pollutedBefore();
      expect(message.toDict()).toEqual(validPayment());
      expect(Object.getPrototypeOf(message.payload)).toBe(PaymentPayload.prototype);
    });
  });
});
