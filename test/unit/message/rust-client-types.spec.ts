import { describe, expect, it } from 'vitest';
import {
  CustomerNotificationPayload,
  Direction,
  EventType,
  InstructionType,
  MessageBusMessage,
  MessageValidationError,
  NotificationSubjects,
  PlatformNotificationPayload,
  RelayCompletedEventPayload,
  RelayInitiatedEventPayload,
  RelayOnboardedEventPayload,
  Severity,
  TransactionType,
  TwoShapeRelayEventPayload,
  UnknownMessageTypeError,
  UpdateProfilePayload,
  defaultMessageTypeRegistry,
  type RelayEvent,
} from './message-model';
import {
  CUSTOMER_NOTIFICATION_EVENTS,
  PLATFORM_NOTIFICATION_EVENTS,
  thrown,
} from './message-samples';
import { RUST_SAMPLES, rustMessage } from '../../support/rust-samples';

const base = { source: 'RELAY_SERVICE', serviceToken: 't.jwt.sig' };

function typeKey(kind: 'instruction' | 'event'): 'instruction_type' | 'event' {
  return kind === 'instruction' ? 'instruction_type' : 'event';
}

/** What reading `text` throws, which must be a validation error (not an unknown type). */
function rejected(text: string): MessageValidationError {
  const error = thrown(() => MessageBusMessage.fromJSON(text));
  expect(error).toBeInstanceOf(MessageValidationError);
  expect(error).not.toBeInstanceOf(UnknownMessageTypeError);
  return error as MessageValidationError;
}

/** The payload text of a serialised message: `meta_data` comes first and holds no `"payload"` key. */
function payloadText(serialized: string): string {
  const marker = ', "payload": ';
  return serialized.slice(serialized.indexOf(marker) + marker.length, -1);
}

describe('the Rust client’s types (peer-models.md §2–§4)', () => {
  describe('enums: both peers’ values, in their declaration order (§4)', () => {
    it('InstructionType is the Rust client’s nine, in its order', () => {
      expect(Object.values(InstructionType)).toEqual([
        'PAYMENT',
        'STATUS_UPDATE',
        'CORRECTION',
        'TRANSACTION',
        'BANK_PAYMENT_REQUEST',
        'CHAIN_PAYMENT',
        'UPDATE_PROFILE',
        'MINT',
        'BURN',
      ]);
    });

    it('EventType is the union (49): the Rust client’s 48 in its order, the Python client’s 12 in its', () => {
      // As peer-models.md §4.2 lists them.
      const rust = [
        'BANK_PAYMENT_BALANCE_INSUFFICIENT_ALERT BANK_PAYMENT_EXECUTION_FAILED_ALERT',
        'BCB_WEBHOOK_PROCESSING_FAILED_ALERT BENEFICIARY_CREATION_FAILED_ALERT',
        'NEW_TRANSACTION TRANSACTION_STATUS_UPDATE PAYMENT BANK_PAYMENT NEW_PROFILE',
        'NEW_USER VERIFICATION_REQUESTED PASSWORD_RESET_REQUESTED KYC_EVENT',
        'ADDRESS_ONBOARDED RELAY_INITIATED RELAY_COMPLETED RELAY_ONBOARDED',
        'RELAY_STUCK_DEPOSITING RELAY_STUCK_BRIDGING RELAY_STUCK_FORWARDING RELAY_FAILED',
        'CIRCLE_API_5XX_BURST WEBHOOK_REPROCESSOR_BACKLOG MINT_COMPLETED BURN_COMPLETED',
        'MINT_HELD BURN_HELD MINT_HELD_ALERT BURN_HELD_ALERT CUSTOMER_NOTIFY_FAILED',
        'MINT_INFO BURN_INFO TRANSACTION_FAILED_ALERT TRANSACTION_HELD_ALERT',
        'DEPOSIT_INITIATED DEPOSIT_COMPLETED DEPOSIT_FAILED WITHDRAW_INITIATED',
        'WITHDRAW_COMPLETED WITHDRAW_FAILED CUSTOMER_FUNDS_RECEIVED',
        'TRANSACTION_FUNDED_INFO BANK_PAYMENT_RECEIVED_INFO BANK_PAYMENT_SENT_INFO',
        'ONCHAIN_PAYMENT_RECEIVED_INFO ONCHAIN_PAYMENT_SENT_INFO',
        'TRANSACTION_APPROVED_INFO TRANSACTION_FULFILLED_INFO',
      ]
        .join(' ')
        .split(' ');
      // As peer-models.md §4.2 lists them.
      const python = [
        'NEW_TRANSACTION TRANSACTION_STATUS_UPDATE NEW_BANK_PAYMENT NEW_PROFILE NEW_USER',
        'VERIFICATION_REQUESTED PASSWORD_RESET_REQUESTED KYC_EVENT ADDRESS_ONBOARDED',
        'RELAY_INITIATED RELAY_COMPLETED RELAY_ONBOARDED',
      ]
        .join(' ')
        .split(' ');
      const values: string[] = Object.values(EventType);
      expect(values).toHaveLength(49);
      expect(values.filter((value) => rust.includes(value))).toEqual(rust);
      expect(values.filter((value) => python.includes(value))).toEqual(python);
      expect(values.filter((value) => !rust.includes(value))).toEqual(['NEW_BANK_PAYMENT']);
    });

    it('TransactionType gains TRANSFER, Direction BOTH, Severity is lower-case', () => {
      expect(Object.values(TransactionType)).toEqual(['DEPOSIT', 'WITHDRAW', 'TRANSFER']);
      expect(Object.values(Direction)).toEqual(['INBOUND', 'OUTBOUND', 'BOTH']);
      expect(Object.values(Severity)).toEqual(['info', 'warning', 'critical']);
    });

    it('every event has a built-in payload class: 11 + 3 customer, 24 platform notifications (§2.3)', () => {
      for (const event of Object.values(EventType)) {
        expect(defaultMessageTypeRegistry.payloadClassFor('event', event), event).toBeDefined();
      }
      for (const event of CUSTOMER_NOTIFICATION_EVENTS) {
        expect(defaultMessageTypeRegistry.payloadClassFor('event', event)).toBe(
          CustomerNotificationPayload,
        );
      }
      expect(PLATFORM_NOTIFICATION_EVENTS).toHaveLength(24);
      for (const event of PLATFORM_NOTIFICATION_EVENTS) {
        expect(defaultMessageTypeRegistry.payloadClassFor('event', event)).toBe(
          PlatformNotificationPayload,
        );
      }
    });
  });

  describe.each(RUST_SAMPLES.map((sample) => [sample.name, sample] as const))(
    'as the Rust client writes it: %s',
    (_name, sample) => {
      const text = rustMessage(typeKey(sample.kind), sample.type, sample.rust);

      it(`reads into a ${sample.payloadClass} with exactly the validated fields (${sample.ref})`, () => {
        const message = MessageBusMessage.fromJSON(text);
        expect(message.kind).toBe(sample.kind);
        expect(message.type).toBe(sample.type);
        expect(message.payload.constructor.name).toBe(sample.payloadClass);
        expect(message.toDict().payload).toEqual(sample.fields);
      });

      it('create() with the same fields writes them in the defining peer’s order', () => {
        const created = MessageBusMessage.create({
          ...base,
          [sample.kind === 'instruction' ? 'instructionType' : 'event']: sample.type,
          payload: structuredClone(sample.fields),
        });
        expect(payloadText(created.serialize())).toBe(sample.written);
        // And what it wrote reads back the same.
        expect(MessageBusMessage.fromJSON(created.serialize()).toDict()).toEqual(created.toDict());
      });
    },
  );

  describe('invalid Rust-client payloads name the field (§3)', () => {
    it.each([
      [
        'BANK_PAYMENT_REQUEST without profile_id',
        'instruction',
        'BANK_PAYMENT_REQUEST',
        '{"reference":"R","value":"1","currency":"EUR"}',
        'payload.profile_id',
      ],
      [
        'BANK_PAYMENT_REQUEST with a blank value',
        'instruction',
        'BANK_PAYMENT_REQUEST',
        '{"reference":"R","value":" ","currency":"EUR","profile_id":"p"}',
        'payload.value',
      ],
      [
        'CHAIN_PAYMENT without hash',
        'instruction',
        'CHAIN_PAYMENT',
        '{"chain":"c","reference":"R","status":"S"}',
        'payload.hash',
      ],
      [
        'CHAIN_PAYMENT with a numeric transaction_id',
        'instruction',
        'CHAIN_PAYMENT',
        '{"chain":"c","hash":"h","reference":"R","status":"S","transaction_id":5}',
        'payload.transaction_id',
      ],
      [
        'PAYMENT with direction both (wrong case)',
        'instruction',
        'PAYMENT',
        '{"external_reference":"E","currency":"EUR","value":"1","source":"B","direction":"both","reference":"R"}',
        'payload.direction',
      ],
      [
        'STATUS_UPDATE with a numeric transaction_id',
        'instruction',
        'STATUS_UPDATE',
        '{"reference":"R","status":"S","transaction_id":1}',
        'payload.transaction_id',
      ],
      [
        'UPDATE_PROFILE with a numeric profile_id',
        'instruction',
        'UPDATE_PROFILE',
        '{"profile_id":7}',
        'payload.profile_id',
      ],
      [
        'TRANSACTION_STATUS_UPDATE with a numeric external_reference',
        'event',
        'TRANSACTION_STATUS_UPDATE',
        '{"external_reference":1,"reference":"R","status":"S"}',
        'payload.external_reference',
      ],
      [
        'BANK_PAYMENT with a blank transaction_id',
        'event',
        'BANK_PAYMENT',
        '{"transaction_id":"","status":"S","reference":"R","message":null}',
        'payload.transaction_id',
      ],
      ['NEW_USER without identifier', 'event', 'NEW_USER', '{"title":"T"}', 'payload.identifier'],
      [
        'a customer notification without subject',
        'event',
        'MINT_HELD',
        '{"data":{}}',
        'payload.subject',
      ],
      [
        'a customer notification without data',
        'event',
        'MINT_HELD',
        `{"subject":{"type":"profile","user_id":"u"}}`,
        'payload.data',
      ],
      [
        'a subject tag in the wrong case',
        'event',
        'MINT_HELD',
        '{"subject":{"type":"Relay","id":"i","source_chain":"a","destination_chain":"b"},"data":{}}',
        'payload.subject',
      ],
      [
        'a subject without type',
        'event',
        'MINT_HELD',
        '{"subject":{"reference":"R"},"data":{}}',
        'payload.subject',
      ],
      [
        'a subject with an unknown tag',
        'event',
        'MINT_HELD',
        '{"subject":{"type":"wallet","reference":"R"},"data":{}}',
        'payload.subject',
      ],
      [
        'a relay subject missing a member',
        'event',
        'MINT_HELD',
        '{"subject":{"type":"relay","id":"i","source_chain":"a"},"data":{}}',
        'payload.subject',
      ],
      [
        'a subject member that is not a string',
        'event',
        'MINT_HELD',
        '{"subject":{"type":"transaction","reference":7},"data":{}}',
        'payload.subject',
      ],
      [
        'a subject that is a string',
        'event',
        'MINT_HELD',
        '{"subject":"relay:r1","data":{}}',
        'payload.subject',
      ],
      [
        'a platform notification without severity',
        'event',
        'RELAY_FAILED',
        '{"data":{}}',
        'payload.severity',
      ],
      [
        'severity INFO (upper case)',
        'event',
        'RELAY_FAILED',
        '{"severity":"INFO","data":{}}',
        'payload.severity',
      ],
      [
        'severity error (not a level)',
        'event',
        'RELAY_FAILED',
        '{"severity":"error","data":{}}',
        'payload.severity',
      ],
      [
        'a platform notification without data',
        'event',
        'RELAY_FAILED',
        '{"severity":"info"}',
        'payload.data',
      ],
      [
        'a numeric platform subject',
        'event',
        'RELAY_FAILED',
        '{"severity":"info","data":{},"subject":5}',
        'payload.subject',
      ],
    ] as const)('%s', (_name, kind, type, payload, field) => {
      const error = rejected(rustMessage(typeKey(kind), type, payload));
      expect(error.fields).toEqual([field]);
      expect(error.message).toContain(field);
    });

    it('a subject error says which tags and members there are', () => {
      const text = rustMessage('event', 'MINT_HELD', '{"subject":{"type":"wallet"},"data":{}}');
      expect(rejected(text).message).toMatch(/relay, transaction, profile/);
      const missing = rustMessage(
        'event',
        'MINT_HELD',
        '{"subject":{"type":"relay","id":"i"},"data":{}}',
      );
      expect(rejected(missing).message).toMatch(/source_chain, destination_chain/);
    });

    it('a subject’s type may come anywhere, extra members are accepted (§3.18)', () => {
      const text = rustMessage(
        'event',
        'WITHDRAW_COMPLETED',
        '{"subject":{"user_id":"u-1","extra":1,"type":"profile"},"data":{}}',
      );
      const message = MessageBusMessage.fromJSON<CustomerNotificationPayload>(text);
      expect(message.payload.subject).toMatchObject({ type: 'profile', user_id: 'u-1' });
    });

    it('NotificationSubjects builds each subject with type first, in the Rust client’s order', () => {
      const created = MessageBusMessage.create({
        ...base,
        event: EventType.MINT_COMPLETED,
        payload: { subject: NotificationSubjects.relay('r1', 'eth', 'stellar'), data: { n: 1 } },
      });
      expect(payloadText(created.serialize())).toBe(
        '{"subject": {"type": "relay", "id": "r1", "source_chain": "eth", "destination_chain": "stellar"}, "data": {"n": 1}}',
      );
      expect(NotificationSubjects.transaction('R')).toEqual({
        type: 'transaction',
        reference: 'R',
      });
      expect(Object.keys(NotificationSubjects.profile('u'))).toEqual(['type', 'user_id']);
    });
  });

  describe('relay events: one wire name, two shapes (§2.2, §3.17, §3.18)', () => {
    const relays = [
      [EventType.RELAY_INITIATED, RelayInitiatedEventPayload],
      [EventType.RELAY_COMPLETED, RelayCompletedEventPayload],
      [EventType.RELAY_ONBOARDED, RelayOnboardedEventPayload],
    ] as const;
    const python = (type: string) =>
      `{"meta_data": {"source": "RELAY_SERVICE", "created_at": "2026-03-14T09:26:53Z", "token": "t", "idempotency_key": "k", "event": "${type}"}, "payload": {"email": "ana@example.com", "payload": {"relay_id": "r1"}}}`;
    const rust = (type: string) =>
      rustMessage(
        'event',
        type,
        '{"subject":{"type":"relay","id":"r1","source_chain":"eth","destination_chain":"stellar"},"data":{"amount":"40.00"}}',
      );

    /** What a handler typed with RelayEvent does: narrow on `dialect`. */
    const describeRelay = (event: RelayEvent): string =>
      event.dialect === 'python' ? `python:${event.email}` : `rust:${event.subject.type}`;

    it.each(relays)(
      '%s read from the Python client is dialect python, with its fields',
      (type, cls) => {
        const message = MessageBusMessage.fromJSON<RelayInitiatedEventPayload>(python(type));
        expect(message.payload).toBeInstanceOf(cls);
        expect(message.payload.dialect).toBe('python');
        expect(describeRelay(message.payload.asRelayEvent())).toBe('python:ana@example.com');
        expect(message.toDict().payload).toEqual({
          email: 'ana@example.com',
          payload: { relay_id: 'r1' },
        });
        // Byte for byte the Python client's text.
        expect(message.serialize()).toBe(python(type));
      },
    );

    it.each(relays)(
      '%s read from the Rust client is dialect rust, with its fields',
      (type, cls) => {
        const message = MessageBusMessage.fromJSON<RelayInitiatedEventPayload>(rust(type));
        expect(message.payload).toBeInstanceOf(cls);
        expect(message.payload.dialect).toBe('rust');
        expect(describeRelay(message.payload.asRelayEvent())).toBe('rust:relay');
        expect(message.toDict().payload).toEqual({
          subject: { type: 'relay', id: 'r1', source_chain: 'eth', destination_chain: 'stellar' },
          data: { amount: '40.00' },
        });
      },
    );

    it.each(relays)(
      '%s: create() builds either shape, and only the fields of that shape',
      (type) => {
        const py = MessageBusMessage.create<TwoShapeRelayEventPayload>({
          ...base,
          event: type,
          payload: { email: 'ana@example.com', payload: { relay_id: 'r1' } },
        });
        expect(py.payload.dialect).toBe('python');
        expect(payloadText(py.serialize())).toBe(
          '{"email": "ana@example.com", "payload": {"relay_id": "r1"}}',
        );
        const rs = MessageBusMessage.create<TwoShapeRelayEventPayload>({
          ...base,
          event: type,
          payload: { subject: NotificationSubjects.relay('r1', 'eth', 'stellar'), data: null },
        });
        expect(rs.payload.dialect).toBe('rust');
        expect(payloadText(rs.serialize())).toBe(
          '{"subject": {"type": "relay", "id": "r1", "source_chain": "eth", "destination_chain": "stellar"}, "data": null}',
        );
      },
    );

    it.each([
      ['the Python shape with a blank email', '{"email":" ","payload":{}}', ['payload.email']],
      [
        'the Python shape with a non-string detail',
        '{"email":"e","payload":{"n":1}}',
        ['payload.payload'],
      ],
      ['the Python shape without payload', '{"email":"e"}', ['payload.payload']],
      [
        'the Rust shape without data',
        '{"subject":{"type":"profile","user_id":"u"}}',
        ['payload.data'],
      ],
      [
        'the Rust shape with a bad subject',
        '{"subject":{"type":"x"},"data":1}',
        ['payload.subject'],
      ],
      [
        'neither shape',
        '{}',
        ['payload.email', 'payload.payload', 'payload.subject', 'payload.data'],
      ],
      // Members of both: held to both sets of rules, so that no unchecked field reaches a handler.
      [
        'both shapes, the Rust one incomplete',
        '{"email":"e","payload":{},"data":1}',
        ['payload.subject'],
      ],
    ] as const)('%s (%s) is rejected naming %j', (_name, payload, fields) => {
      const error = rejected(rustMessage('event', 'RELAY_COMPLETED', payload));
      expect(error.fields).toEqual(fields);
    });

    it('both complete shapes are read (each peer reads its own) and reported as python', () => {
      const message = MessageBusMessage.fromJSON<TwoShapeRelayEventPayload>(
        rustMessage(
          'event',
          'RELAY_ONBOARDED',
          '{"email":"e","payload":{},"subject":{"type":"profile","user_id":"u"},"data":{}}',
        ),
      );
      expect(message.payload.dialect).toBe('python');
    });
  });

  describe('NEW_BANK_PAYMENT (Python) and the PAYMENT event (Rust): one shape, two names (§3.11)', () => {
    it('both read into the same payload class; the message type says which peer’s name it was', () => {
      const fields = '{"external_reference":"E","source":"BANK"}';
      const py = MessageBusMessage.fromJSON(rustMessage('event', 'NEW_BANK_PAYMENT', fields));
      const rs = MessageBusMessage.fromJSON(rustMessage('event', 'PAYMENT', fields));
      expect(rs.payload.constructor).toBe(py.payload.constructor);
      expect([py.kind, py.type, rs.kind, rs.type]).toEqual([
        'event',
        'NEW_BANK_PAYMENT',
        'event',
        'PAYMENT',
      ]);
    });

    it('the PAYMENT event and the PAYMENT instruction stay apart', () => {
      const event = rustMessage('event', 'PAYMENT', '{"external_reference":"E","source":"BANK"}');
      const instruction = rustMessage(
        'instruction_type',
        'PAYMENT',
        '{"external_reference":"E","source":"BANK"}',
      );
      expect(MessageBusMessage.fromJSON(event).kind).toBe('event');
      expect(rejected(instruction).fields).toContain('payload.currency');
    });
  });

  describe('UPDATE_PROFILE: a strict writer (§2.1, §3.7)', () => {
    it('reads the Python client’s message, which has no profile_id', () => {
      const text = rustMessage('instruction_type', 'UPDATE_PROFILE', '{"tax_id":"X"}');
      expect(MessageBusMessage.fromJSON(text).toDict().payload).toEqual({ tax_id: 'X' });
    });

    it('create() refuses one without profile_id, naming the field and the peer that needs it', () => {
      for (const payload of [
        { tax_id: 'X' },
        { profile_id: null, tax_id: 'X' },
        new UpdateProfilePayload(),
      ]) {
        const error = thrown(() =>
          MessageBusMessage.create({
            ...base,
            instructionType: InstructionType.UPDATE_PROFILE,
            payload,
          }),
        );
        expect(error).toBeInstanceOf(MessageValidationError);
        expect((error as MessageValidationError).fields).toEqual(['payload.profile_id']);
        expect((error as MessageValidationError).message).toMatch(/Rust client/);
      }
    });

    it('create() writes profile_id first; "" passes, as the Rust client has no rule for it', () => {
      for (const profileId of ['profile-1', '']) {
        const created = MessageBusMessage.create({
          ...base,
          instructionType: InstructionType.UPDATE_PROFILE,
          payload: { tax_id: 'X', profile_id: profileId },
        });
        expect(payloadText(created.serialize())).toBe(
          `{"profile_id": "${profileId}", "tax_id": "X"}`,
        );
      }
    });
  });
});
