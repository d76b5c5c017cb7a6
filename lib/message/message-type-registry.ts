import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import { MessageBusError } from '../errors/message-bus.error';
import { BUILT_IN_EVENT_PAYLOADS, BUILT_IN_INSTRUCTION_PAYLOADS } from './built-in-message-types';
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

  /** A registry holding the built-in types of the organisation's bus. */
  static withBuiltIns(): MessageTypeRegistry {
    const registry = new MessageTypeRegistry();
    for (const [type, payload] of Object.entries(BUILT_IN_INSTRUCTION_PAYLOADS)) {
      registry.registerInstruction(type, payload);
    }
    for (const [type, payload] of Object.entries(BUILT_IN_EVENT_PAYLOADS)) {
      registry.registerEvent(type, payload);
    }
    return registry;
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

  /** An independent copy, to extend without touching this one. */
  clone(): MessageTypeRegistry {
    const copy = new MessageTypeRegistry();
    for (const kind of ['instruction', 'event'] as const) {
      for (const [type, payload] of this.payloads[kind]) copy.set(kind, type, payload);
    }
    return copy;
  }

  private set(kind: MessageKind, type: string, payload: PayloadClass): this {
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

/**
 * The registry `MessageBusMessage.create()` and `fromJSON()` use when given none.
 * Registering on it affects the whole process; prefer a module option or a clone in tests.
 */
export const defaultMessageTypeRegistry = MessageTypeRegistry.withBuiltIns();

/**
 * The built-in types plus an app's `messageTypes` option, in a registry of its own. A bad
 * definition is a configuration error naming its index.
 */
export function buildMessageTypeRegistry(
  definitions: readonly MessageTypeDefinition[],
): MessageTypeRegistry {
  const registry = defaultMessageTypeRegistry.clone();
  definitions.forEach((definition, index) => {
    try {
      registry.register(definition);
    } catch (error) {
      throw new MessageBusConfigurationError(`messageTypes[${index}]`, (error as Error).message);
    }
  });
  return registry;
}
