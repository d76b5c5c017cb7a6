import { describe, expect, it } from 'vitest';
import {
  EventType,
  InstructionType,
  IsNonBlankString,
  IsWireEnum,
  MessageBusError,
  MessageBusMessage,
  MessageTypeRegistry,
  MessageValidationError,
  PaymentEventPayload,
  PaymentPayload,
  ReadOnlyMessageTypeRegistryError,
  UnknownMessageTypeError,
  defaultMessageTypeRegistry,
} from './message-model';
import { PAYLOAD_CASES, payloadCase, thrown, wireMessage } from './message-samples';

/** An event of an app's own, which no peer defines. */
const USER_INVITED = 'USER_INVITED';

/** What an app would declare for its USER_INVITED event. */
class NewUserEventPayload {
  @IsNonBlankString()
  user_id!: string;

  @IsNonBlankString()
  email!: string;
}

/** A stricter PAYMENT payload an app might swap in: only euro payments. */
class EuroPaymentPayload extends PaymentPayload {}
// One more rule on the inherited field, without redeclaring it.
IsWireEnum({ EUR: 'EUR' })(EuroPaymentPayload.prototype, 'currency');

const newUser = { user_id: 'u-9f31', email: 'ana.lopez@example.com' };

describe('MessageTypeRegistry', () => {
  it('holds every built-in type with its payload class, NEW_USER and the notifications included', () => {
    const registry = MessageTypeRegistry.withBuiltIns();
    for (const entry of PAYLOAD_CASES) {
      expect(registry.payloadClassFor(entry.kind, entry.type)).toBe(entry.payloadClass);
    }
    expect(registry.typesOf('instruction').sort()).toEqual(Object.values(InstructionType).sort());
    expect(registry.typesOf('event').sort()).toEqual(Object.values(EventType).sort());
    expect(registry.payloadClassFor('event', USER_INVITED)).toBeUndefined();
  });

  it('keeps instructions and events apart', () => {
    const registry = MessageTypeRegistry.withBuiltIns();
    expect(registry.payloadClassFor('event', InstructionType.BANK_PAYMENT_REQUEST)).toBeUndefined();
    // PAYMENT is both: an instruction (both peers) and an event (the Rust client's), each its own shape.
    expect(registry.payloadClassFor('event', 'PAYMENT')).toBe(PaymentEventPayload);
    expect(registry.payloadClassFor('instruction', 'PAYMENT')).toBe(PaymentPayload);
    expect(registry.payloadClassFor('instruction', EventType.NEW_PROFILE)).toBeUndefined();
  });

  it('starts empty when built with new', () => {
    const registry = new MessageTypeRegistry();
    expect(registry.typesOf('instruction')).toEqual([]);
    expect(registry.typesOf('event')).toEqual([]);
  });

  it('lets an app give an event of its own a payload class in a clone, leaving the default registry alone', () => {
    const registry = defaultMessageTypeRegistry
      .clone()
      .registerEvent(USER_INVITED, NewUserEventPayload);
    const input = wireMessage('event', USER_INVITED, { ...newUser, extra: 'dropped' });

    const message = MessageBusMessage.fromJSON(input, { registry });
    expect(message.payload).toBeInstanceOf(NewUserEventPayload);
    expect(message.toDict().payload).toEqual(newUser);
    expect(registry.typesOf('event')).toContain(USER_INVITED);

    expect(thrown(() => MessageBusMessage.fromJSON(input))).toBeInstanceOf(UnknownMessageTypeError);
    expect(defaultMessageTypeRegistry.payloadClassFor('event', USER_INVITED)).toBeUndefined();
  });

  it('validates a registered type with its own rules', () => {
    const registry = defaultMessageTypeRegistry
      .clone()
      .register({ event: USER_INVITED, payload: NewUserEventPayload });
    const error = thrown(() =>
      MessageBusMessage.fromJSON(wireMessage('event', USER_INVITED, { user_id: ' ' }), {
        registry,
      }),
    );
    expect(error).toBeInstanceOf(MessageValidationError);
    expect((error as MessageValidationError).fields).toEqual(['payload.user_id', 'payload.email']);
  });

  it('lets an app add a type of its own', () => {
    const registry = new MessageTypeRegistry().register({
      instructionType: 'ONBOARD_USER',
      payload: NewUserEventPayload,
    });
    const message = MessageBusMessage.fromJSON(
      wireMessage('instruction', 'ONBOARD_USER', newUser),
      { registry },
    );
    expect(message.type).toBe('ONBOARD_USER');
    expect(message.kind).toBe('instruction');
    expect(message.payload).toBeInstanceOf(NewUserEventPayload);
    // A registry without the built-ins knows only what it was given.
    const payment = payloadCase(InstructionType.PAYMENT);
    expect(
      thrown(() =>
        MessageBusMessage.fromJSON(wireMessage('instruction', 'PAYMENT', payment.valid), {
          registry,
        }),
      ),
    ).toBeInstanceOf(UnknownMessageTypeError);
  });

  it('lets an app replace a built-in DTO in a clone', () => {
    const registry = defaultMessageTypeRegistry
      .clone()
      .registerInstruction(InstructionType.PAYMENT, EuroPaymentPayload);
    const payment = payloadCase(InstructionType.PAYMENT);
    const dollars = wireMessage('instruction', 'PAYMENT', { ...payment.valid, currency: 'USD' });

    const error = thrown(() => MessageBusMessage.fromJSON(dollars, { registry }));
    expect((error as MessageValidationError).fields).toEqual(['payload.currency']);
    expect(MessageBusMessage.fromJSON(dollars).payload).toBeInstanceOf(PaymentPayload);

    const euros = MessageBusMessage.fromJSON(wireMessage('instruction', 'PAYMENT', payment.valid), {
      registry,
    });
    expect(euros.payload).toBeInstanceOf(EuroPaymentPayload);
    // A subclass keeps the wire key order of the DTO it extends.
    expect(euros.serialize()).toBe(
      MessageBusMessage.fromJSON(wireMessage('instruction', 'PAYMENT', payment.valid)).serialize(),
    );
    expect(defaultMessageTypeRegistry.payloadClassFor('instruction', 'PAYMENT')).toBe(
      PaymentPayload,
    );
  });

  it('uses the given registry in create() too', () => {
    const registry = defaultMessageTypeRegistry
      .clone()
      .registerEvent(USER_INVITED, NewUserEventPayload);
    const options = {
      source: 'IDENTITY_SERVICE',
      event: USER_INVITED,
      payload: newUser,
      serviceToken: 't',
    };
    expect(MessageBusMessage.create(options, { registry }).toDict().payload).toEqual(newUser);
    expect(thrown(() => MessageBusMessage.create(options))).toBeInstanceOf(UnknownMessageTypeError);
  });

  it('gives a clone its own maps', () => {
    const original = new MessageTypeRegistry().registerEvent('A', NewUserEventPayload);
    const copy = original
      .clone()
      .registerEvent('B', NewUserEventPayload)
      .registerEvent('A', PaymentPayload);
    expect(original.typesOf('event')).toEqual(['A']);
    expect(original.payloadClassFor('event', 'A')).toBe(NewUserEventPayload);
    expect(copy.typesOf('event')).toEqual(['A', 'B']);
    expect(copy.payloadClassFor('event', 'A')).toBe(PaymentPayload);
  });

  it.each([
    [
      'both instructionType and event',
      { instructionType: 'A', event: 'B', payload: NewUserEventPayload },
    ],
    ['neither instructionType nor event', { payload: NewUserEventPayload }],
  ])('refuses a definition with %s', (_label, definition) => {
    const error = thrown(() => new MessageTypeRegistry().register(definition));
    expect(error).toBeInstanceOf(MessageBusError);
    expect((error as Error).message).toMatch(/exactly one of instructionType and event/);
  });

  it.each(['', '   '])('refuses the blank type %j', (type) => {
    expect(
      thrown(() => new MessageTypeRegistry().registerInstruction(type, NewUserEventPayload)),
    ).toBeInstanceOf(MessageBusError);
    expect(
      thrown(() => new MessageTypeRegistry().registerEvent(type, NewUserEventPayload)),
    ).toBeInstanceOf(MessageBusError);
  });

  it('refuses a payload that is not a class, naming the type', () => {
    const error = thrown(() =>
      new MessageTypeRegistry().registerEvent('NEW_USER', {
        user_id: 'x',
      } as unknown as typeof NewUserEventPayload),
    );
    expect(error).toBeInstanceOf(MessageBusError);
    expect((error as Error).message).toContain('NEW_USER');
  });

  it('keeps the process-wide default read-only, pointing at messageTypes or withBuiltIns()', () => {
    const attempts = [
      () => defaultMessageTypeRegistry.registerEvent(USER_INVITED, NewUserEventPayload),
      () => defaultMessageTypeRegistry.registerInstruction('PAYMENT', EuroPaymentPayload),
      () => defaultMessageTypeRegistry.register({ event: 'CUSTOM', payload: NewUserEventPayload }),
    ];
    for (const attempt of attempts) {
      const error = thrown(attempt);
      expect(error).toBeInstanceOf(ReadOnlyMessageTypeRegistryError);
      expect(error).toBeInstanceOf(MessageBusError);
      expect((error as Error).message).toMatch(/read-only.*messageTypes.*withBuiltIns\(\)/);
    }
    expect(defaultMessageTypeRegistry.payloadClassFor('event', USER_INVITED)).toBeUndefined();
    expect(defaultMessageTypeRegistry.payloadClassFor('instruction', 'PAYMENT')).toBe(
      PaymentPayload,
    );
    // A clone is the caller's own, and writable.
    expect(
      defaultMessageTypeRegistry
        .clone()
        .registerEvent(USER_INVITED, NewUserEventPayload)
        .payloadClassFor('event', USER_INVITED),
    ).toBe(NewUserEventPayload);
  });

  it('builds and parses messages of its own types with createMessage() and parseMessage()', () => {
    const registry = MessageTypeRegistry.withBuiltIns().registerEvent(
      USER_INVITED,
      NewUserEventPayload,
    );
    const message = registry.createMessage({
      source: 'IDENTITY_SERVICE',
      event: USER_INVITED,
      payload: newUser,
      serviceToken: 't',
      idempotencyKey: 'k-1',
    });
    expect(message.payload).toBeInstanceOf(NewUserEventPayload);
    expect(message.meta_data.idempotency_key).toBe('k-1');

    const parsed = registry.parseMessage<NewUserEventPayload>(message.serialize());
    expect(parsed.payload).toBeInstanceOf(NewUserEventPayload);
    expect(parsed.toDict()).toEqual(message.toDict());
    expect(registry.parseMessage(message.toDict()).type).toBe(USER_INVITED);

    // The same calls on a registry without the type refuse it.
    const builtIns = MessageTypeRegistry.withBuiltIns();
    expect(thrown(() => builtIns.parseMessage(message.serialize()))).toBeInstanceOf(
      UnknownMessageTypeError,
    );
    expect(
      thrown(() =>
        builtIns.createMessage({
          source: 'IDENTITY_SERVICE',
          event: USER_INVITED,
          payload: newUser,
          serviceToken: 't',
        }),
      ),
    ).toBeInstanceOf(UnknownMessageTypeError);
  });
});
