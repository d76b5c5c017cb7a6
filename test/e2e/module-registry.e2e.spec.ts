import { Injectable, type INestApplicationContext } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import {
  IsNonBlankString,
  MessageBusClientProxy,
  MessageBusMessage,
  MessageBusPublisher,
  MessageTypeRegistry,
  MessageValidationError,
  OnEvent,
  UnknownMessageTypeError,
  defaultMessageTypeRegistry,
  type MessageTypeDefinition,
} from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { lastValueFrom } from 'rxjs';
import { customEventWire } from '../support/custom-event';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVICE_TOKEN } from './fixtures/messages';

class CustomDto {
  @IsNonBlankString()
  reference!: string;
}

class OtherDto {
  @IsNonBlankString()
  code!: string;
}

const received: unknown[] = [];

@Injectable()
class CustomEventHandler {
  @OnEvent('CUSTOM_EVENT')
  handle(@Payload() payload: CustomDto) {
    received.push(payload);
  }
}

function customWire(reference: string) {
  return customEventWire(reference, SERVICE_TOKEN);
}

const apps: INestApplicationContext[] = [];

async function appWith(messageTypes: MessageTypeDefinition[], withHandler = false) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      MessageBusTestingModule.forRoot({
        messageTypes,
        consumers: withHandler ? { sqs: [{ queue: 'custom' }] } : undefined,
      }),
    ],
    providers: withHandler ? [CustomEventHandler] : [],
  }).compile();
  const app = await moduleRef.init();
  apps.push(app);
  return app;
}

afterEach(async () => {
  received.length = 0;
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

describe('one message-type registry per module', () => {
  it("MessageBusClientProxy.emit takes a wire object of the module's own type, and its handler gets the DTO", async () => {
    const app = await appWith([{ event: 'CUSTOM_EVENT', payload: CustomDto }], true);
    const client = app.get(MessageBusClientProxy);

    await lastValueFrom(client.emit('custom', customWire('WIRE-1')));
    const bus = MessageBusTestBus.from(app);
    await bus.whenIdle();

    expect(received).toHaveLength(1);
    expect(received[0]).toBeInstanceOf(CustomDto);
    expect(received[0]).toEqual({ reference: 'WIRE-1' });
    expect(bus.published('custom').map((record) => record.message.type)).toEqual(['CUSTOM_EVENT']);
  });

  it("the injected registry builds and parses the module's types; the default registry still refuses them", async () => {
    const app = await appWith([{ event: 'CUSTOM_EVENT', payload: CustomDto }], true);
    const registry = app.get(MessageTypeRegistry);

    const message = registry.createMessage({
      source: 'TEST_SERVICE',
      event: 'CUSTOM_EVENT',
      payload: { reference: 'CREATED-1' },
      serviceToken: SERVICE_TOKEN,
    });
    expect(message.payload).toBeInstanceOf(CustomDto);
    expect(registry.parseMessage(message.serialize()).payload).toEqual({ reference: 'CREATED-1' });

    await app.get(MessageBusPublisher).publish(message, 'custom');
    await MessageBusTestBus.from(app).whenIdle();
    expect(received).toEqual([{ reference: 'CREATED-1' }]);

    expect(() => MessageBusMessage.fromJSON(customWire('X'))).toThrow(UnknownMessageTypeError);
    expect(defaultMessageTypeRegistry.payloadClassFor('event', 'CUSTOM_EVENT')).toBeUndefined();
  });

  it('two apps in one process with different messageTypes never see each other’s types', async () => {
    const first = await appWith([{ event: 'CUSTOM_EVENT', payload: CustomDto }]);
    const second = await appWith([{ event: 'OTHER_EVENT', payload: OtherDto }]);
    const firstTypes = first.get(MessageTypeRegistry);
    const secondTypes = second.get(MessageTypeRegistry);

    expect(firstTypes).not.toBe(secondTypes);
    expect(firstTypes.payloadClassFor('event', 'CUSTOM_EVENT')).toBe(CustomDto);
    expect(firstTypes.payloadClassFor('event', 'OTHER_EVENT')).toBeUndefined();
    expect(secondTypes.payloadClassFor('event', 'OTHER_EVENT')).toBe(OtherDto);
    expect(secondTypes.payloadClassFor('event', 'CUSTOM_EVENT')).toBeUndefined();

    // Each module's client proxy parses with its own registry only.
    await expect(
      lastValueFrom(second.get(MessageBusClientProxy).emit('custom', customWire('X'))),
    ).rejects.toThrow(UnknownMessageTypeError);
    await lastValueFrom(first.get(MessageBusClientProxy).emit('custom', customWire('Y')));
    expect(MessageBusTestBus.from(first).published('custom')).toHaveLength(1);

    // Registering more on one module's registry leaves the other module alone.
    firstTypes.registerEvent('LATE_EVENT', OtherDto);
    expect(secondTypes.payloadClassFor('event', 'LATE_EVENT')).toBeUndefined();
    expect(defaultMessageTypeRegistry.payloadClassFor('event', 'LATE_EVENT')).toBeUndefined();
  });
});

describe('MessageBusPublisher.publish takes a plain envelope object, as the clients do', () => {
  it("validates it with the module's types, publishes it byte for byte as a message, and its handler gets the DTO", async () => {
    const app = await appWith([{ event: 'CUSTOM_EVENT', payload: CustomDto }], true);
    const bus = MessageBusTestBus.from(app);

    await app.get(MessageBusPublisher).publish(customWire('DICT-1'), 'custom');
    await bus.whenIdle();

    expect(received).toEqual([{ reference: 'DICT-1' }]);
    expect(received[0]).toBeInstanceOf(CustomDto);
    const [record] = bus.published('custom');
    expect(record.body).toBe(
      MessageBusMessage.fromJSON(customWire('DICT-1'), {
        registry: app.get(MessageTypeRegistry),
      }).serialize(),
    );
  });

  it('rejects an invalid envelope naming the field, and an object that is no envelope', async () => {
    const app = await appWith([{ event: 'CUSTOM_EVENT', payload: CustomDto }]);
    const publisher = app.get(MessageBusPublisher);
    const wire = customWire('DICT-2');

    const invalid = publisher.publish({ ...wire, payload: { reference: '' } }, 'custom');
    await expect(invalid).rejects.toBeInstanceOf(MessageValidationError);
    await expect(invalid).rejects.toThrow(/payload\.reference/);
    await expect(publisher.publish({ reference: 'no envelope' }, 'custom')).rejects.toThrow(
      /message must be a MessageBusMessage or an envelope object/,
    );
    await expect(
      publisher.publish(
        { ...wire, meta_data: { ...wire.meta_data, event: 'NOT_A_TYPE' } },
        'custom',
      ),
    ).rejects.toBeInstanceOf(UnknownMessageTypeError);
    expect(MessageBusTestBus.from(app).published('custom')).toEqual([]);
  });
});
