import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import { MessageBusError } from '../errors/message-bus.error';
import { ReadOnlyMessageTypeRegistryError } from '../errors/read-only-message-type-registry.error';
import { BUILT_IN_EVENT_PAYLOADS, BUILT_IN_INSTRUCTION_PAYLOADS } from './built-in-message-types';
// A cycle on purpose (message-bus-message reads the default registry): each side uses the
// other only inside functions, never while the modules load.
import { MessageBusMessage, type CreateMessageOptions } from './message-bus-message';
import type { MessageKind } from './message-kind';
import type { PayloadClass } from './payload-class';

/** One registration: exactly one of `instructionType` / `event`, and the payload class. */
export interface MessageTypeDefinition {
  readonly instructionType?: string;
  readonly event?: string;
  readonly payload: PayloadClass;
}

/**
 * Which payload class each instruction type and event carries. The built-in map is only
 * its default content: an app adds its own types, or replaces a built-in DTO, without forking.
 */
export class MessageTypeRegistry {
  private readonly payloads: Record<MessageKind, Map<string, PayloadClass>> = {
    instruction: new Map(),
    event: new Map(),
  };

  /** A registry holding the built-in types of the organisation's bus, to extend as you like. */
  static withBuiltIns(): MessageTypeRegistry {
    return new MessageTypeRegistry().addBuiltIns();
  }

  /** Maps an instruction type to its payload class, replacing any earlier mapping. */
  registerInstruction(type: string, payload: PayloadClass): this {
    return this.set('instruction', type, payload);
  }

  /** Maps an event type to its payload class, replacing any earlier mapping. */
  registerEvent(type: string, payload: PayloadClass): this {
    return this.set('event', type, payload);
  }

  register(definition: MessageTypeDefinition): this {
    const { instructionType, event, payload } = definition;
    if ((instructionType === undefined) === (event === undefined)) {
      throw new MessageBusError(
        'A message type definition needs exactly one of instructionType and event',
      );
    }
    return instructionType !== undefined
      ? this.registerInstruction(instructionType, payload)
      : this.registerEvent(event as string, payload);
  }

  payloadClassFor(kind: MessageKind, type: string): PayloadClass | undefined {
    return this.payloads[kind].get(type);
  }

  /** The registered types of one kind, in registration order. */
  typesOf(kind: MessageKind): string[] {
    return [...this.payloads[kind].keys()];
  }

  /**
   * Builds a new message of this registry's types: `MessageBusMessage.create(options, { registry })`.
   * Throws `MessageValidationError` (or `UnknownMessageTypeError`) as `create` does.
   */
  createMessage<TPayload extends object = object>(
    options: CreateMessageOptions<TPayload>,
  ): MessageBusMessage<TPayload> {
    return MessageBusMessage.create<TPayload>(options, { registry: this });
  }

  /**
   * Parses and validates untrusted input (JSON text, its UTF-8 bytes, or a parsed object)
   * against this registry's types: `MessageBusMessage.fromJSON(input, { registry })`.
   */
  parseMessage<TPayload extends object = object>(
    input: string | Uint8Array | object,
  ): MessageBusMessage<TPayload> {
    return MessageBusMessage.fromJSON<TPayload>(input, { registry: this });
  }

  /** An independent, writable copy, to extend without touching this one. */
  clone(): MessageTypeRegistry {
    const copy = new MessageTypeRegistry();
    for (const kind of ['instruction', 'event'] as const) {
      for (const [type, payload] of this.payloads[kind]) copy.set(kind, type, payload);
    }
    return copy;
  }

  protected addBuiltIns(): this {
    for (const [type, payload] of Object.entries(BUILT_IN_INSTRUCTION_PAYLOADS)) {
      this.set('instruction', type, payload);
    }
    for (const [type, payload] of Object.entries(BUILT_IN_EVENT_PAYLOADS)) {
      this.set('event', type, payload);
    }
    return this;
  }

  protected set(kind: MessageKind, type: string, payload: PayloadClass): this {
    if (typeof type !== 'string' || type.trim() === '') {
      throw new MessageBusError(`A registered ${kind} type must be a non-blank string`);
    }
    if (typeof payload !== 'function') {
      throw new MessageBusError(`The payload for ${kind} type "${type}" must be a class`);
    }
    this.payloads[kind].set(type, payload);
    return this;
  }
}

/** The built-ins, frozen: the process-wide default must not be a way to change another module's types. */
class ReadOnlyMessageTypeRegistry extends MessageTypeRegistry {
  constructor() {
    super();
    this.addBuiltIns();
  }

  override registerInstruction(type: string): never {
    throw new ReadOnlyMessageTypeRegistryError(type);
  }

  override registerEvent(type: string): never {
    throw new ReadOnlyMessageTypeRegistryError(type);
  }

  override register(definition: MessageTypeDefinition): never {
    throw new ReadOnlyMessageTypeRegistryError(
      String(definition?.instructionType ?? definition?.event),
    );
  }
}

/**
 * The registry `MessageBusMessage.create()` and `fromJSON()` use when given none: the
 * built-in types only, and read-only (registering on it throws
 * `ReadOnlyMessageTypeRegistryError`). A module has a registry of its own, built from its
 * `messageTypes` option; `clone()` gives a writable copy.
 */
export const defaultMessageTypeRegistry: MessageTypeRegistry = new ReadOnlyMessageTypeRegistry();

/**
 * The built-in types plus an app's `messageTypes` option, in a registry of its own. A bad
 * definition is a configuration error naming its index.
 */
export function buildMessageTypeRegistry(
  definitions: readonly MessageTypeDefinition[],
): MessageTypeRegistry {
  const registry = MessageTypeRegistry.withBuiltIns();
  definitions.forEach((definition, index) => {
    try {
      registry.register(definition);
    } catch (error) {
      throw new MessageBusConfigurationError(`messageTypes[${index}]`, (error as Error).message);
    }
  });
  return registry;
}
