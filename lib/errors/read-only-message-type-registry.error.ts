import { MessageBusError } from './message-bus.error';

/** Something tried to register a type on `defaultMessageTypeRegistry`, which every module and client of the process reads. */
export class ReadOnlyMessageTypeRegistryError extends MessageBusError {
  override readonly name: string = 'ReadOnlyMessageTypeRegistryError';

  constructor(readonly messageType: string) {
    super(
      `defaultMessageTypeRegistry is read-only, so "${messageType}" was not registered: list your types in MessageBusModule's messageTypes option, or register them on a registry of your own from MessageTypeRegistry.withBuiltIns()`,
    );
  }
}
