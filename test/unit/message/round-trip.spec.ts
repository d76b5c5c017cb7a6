import { describe, expect, it } from 'vitest';
import { InstructionType, MessageBusMessage } from './message-model';
import {
  PAYLOAD_CASES,
  payloadCase,
  validMetaData,
  wireMessage,
  type Json,
} from './message-samples';

const cases = PAYLOAD_CASES.map((entry) => [entry.type, entry] as const);

function reversed(source: Json): Json {
  return Object.fromEntries(Object.entries(source).reverse());
}

/** Every value in a JSON tree, depth first. */
function allValues(value: unknown): unknown[] {
  if (value === null || typeof value !== 'object') return [value];
  return Object.values(value).flatMap((entry) => [entry, ...allValues(entry)]);
}

describe('round trips', () => {
  it.each(cases)('%s: fromJSON(serialize()) gives back an equal message', (_type, entry) => {
    const message = MessageBusMessage.fromJSON(wireMessage(entry.kind, entry.type, entry.valid));
    const again = MessageBusMessage.fromJSON(message.serialize());
    expect(again.toDict()).toEqual(message.toDict());
    expect(again.serialize()).toBe(message.serialize());
    expect(again.payload).toBeInstanceOf(entry.payloadClass);
    expect(again.payload).toEqual(message.payload);
  });

  it.each(cases)('%s: JSON.stringify(message) is the wire JSON and parses back', (_type, entry) => {
    const message = MessageBusMessage.fromJSON(wireMessage(entry.kind, entry.type, entry.valid));
    const json = JSON.stringify(message);
    expect(JSON.parse(json)).toEqual(wireMessage(entry.kind, entry.type, entry.valid));
    expect(json).toBe(JSON.stringify(message.toDict()));
    expect(MessageBusMessage.fromJSON(json).serialize()).toBe(message.serialize());
    expect(JSON.parse(message.serialize())).toEqual(JSON.parse(json));
  });

  it.each(cases)(
    '%s: keys leave in the Python field order, whatever order they came in',
    (_type, entry) => {
      const metaData = { ...validMetaData(entry.kind, entry.type), ip_address: '203.0.113.7' };
      const message = MessageBusMessage.fromJSON({
        payload: reversed(entry.valid),
        meta_data: reversed(metaData),
      });
      const wire = message.toDict();
      expect(Object.keys(wire)).toEqual(['meta_data', 'payload']);
      const typeField = entry.kind === 'instruction' ? 'instruction_type' : 'event';
      expect(Object.keys(wire.meta_data)).toEqual([
        'source',
        'created_at',
        'token',
        'idempotency_key',
        typeField,
        'ip_address',
      ]);
      // The samples list their fields in the Python dataclass order.
      expect(Object.keys(wire.payload)).toEqual(Object.keys(entry.valid));
    },
  );

  it.each(cases)(
    '%s: toDict() leaves out unset optional fields, never writing null or undefined',
    (_type, entry) => {
      const payload = {
        ...entry.valid,
        ...Object.fromEntries(entry.optional.map((field) => [field, null])),
      };
      const metaData = {
        ...validMetaData(entry.kind, entry.type),
        ip_address: null,
        event: entry.kind === 'event' ? entry.type : null,
      };
      const message = MessageBusMessage.fromJSON({ meta_data: metaData, payload });
      const wire = message.toDict();
      for (const field of entry.optional) expect(wire.payload).not.toHaveProperty(field);
      expect(wire.meta_data).not.toHaveProperty('ip_address');
      const values = allValues(wire);
      expect(values).not.toContain(null);
      expect(values).not.toContain(undefined);
      expect(message.serialize()).not.toMatch(/null/);
      expect(JSON.stringify(message)).not.toMatch(/null/);
    },
  );

  it.each(cases)('%s: fromJSON() takes a message or its toDict() as well', (_type, entry) => {
    const message = MessageBusMessage.fromJSON(wireMessage(entry.kind, entry.type, entry.valid));
    expect(MessageBusMessage.fromJSON(message).serialize()).toBe(message.serialize());
    expect(MessageBusMessage.fromJSON(message.toDict()).serialize()).toBe(message.serialize());
  });

  it('toDict() returns a copy: changing it leaves the message alone', () => {
    const entry = payloadCase(InstructionType.PAYMENT);
    const message = MessageBusMessage.fromJSON(wireMessage(entry.kind, entry.type, entry.valid));
    const before = message.serialize();
    const wire = message.toDict();
    wire.payload.currency = 'GBP';
    wire.meta_data.token = 'changed';
    expect(message.serialize()).toBe(before);
  });

  it('serialize() is ASCII only, with \\u escapes for everything else', () => {
    const entry = payloadCase(InstructionType.PAYMENT);
    const message = MessageBusMessage.fromJSON(
      wireMessage(entry.kind, entry.type, {
        ...entry.valid,
        payer_name: 'José Müller 😀',
        reference: 'a\u2028b',
      }),
    );
    const text = message.serialize();
    expect(text).toMatch(/^[\x20-\x7e]*$/);
    expect(text).toContain('"payer_name": "Jos\\u00e9 M\\u00fcller \\ud83d\\ude00"');
    expect(text).toContain('"reference": "a\\u2028b"');
    expect(MessageBusMessage.fromJSON(text).toDict().payload.payer_name).toBe('José Müller 😀');
  });

  it('serialize() uses the ", " and ": " separators of json.dumps', () => {
    const entry = payloadCase(InstructionType.STATUS_UPDATE);
    const text = MessageBusMessage.fromJSON(
      wireMessage(entry.kind, entry.type, entry.valid),
    ).serialize();
    expect(text).toBe(
      `{"meta_data": {"source": "BANKING_SERVICE", "created_at": "2026-03-14T09:26:53Z", "token": "${String(validMetaData('instruction', 'x').token)}", ` +
        `"idempotency_key": "0b7c2a4e-5d1f-4c8a-9e3b-6f2d8a1c4b57", "instruction_type": "STATUS_UPDATE"}, ` +
        `"payload": {"reference": "REF-7781", "status": "COMPLETED", "message": "Paid", "transaction_id": "tx-5521"}}`,
    );
  });
});
