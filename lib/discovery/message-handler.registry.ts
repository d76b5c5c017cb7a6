import { Injectable } from '@nestjs/common';
import { DuplicateInstructionHandlerError } from '../errors/duplicate-instruction-handler.error';
import type { MessageKind } from '../message/message-kind';
import type { MessageHandler } from './message-handler';

/** The handlers of the app, by message kind and type. Filled once at module init. */
@Injectable()
export class MessageHandlerRegistry {
  // By kind, then type: looked up once per message, so no key string is built for it.
  private readonly handlers: Record<MessageKind, Map<string, MessageHandler[]>> = {
    instruction: new Map(),
    event: new Map(),
  };
  /** Whether any handler is narrowed to one source; when none is, `find` filters nothing. */
  private narrowed = false;

  add(handler: MessageHandler): void {
    const byType = this.handlers[handler.kind];
    const existing = byType.get(handler.type) ?? [];
    if (handler.kind === 'instruction') {
      // Two handlers clash when one message could reach both.
      const clash = existing.find(
        (other) =>
          other.source === undefined ||
          handler.source === undefined ||
          other.source === handler.source,
      );
      if (clash)
        throw new DuplicateInstructionHandlerError(handler.type, [clash.name, handler.name]);
    }
    byType.set(handler.type, [...existing, handler]);
    if (handler.source !== undefined) this.narrowed = true;
  }

  /** The handlers a message of this type from this source reaches. */
  find(kind: MessageKind, type: string, source: string): readonly MessageHandler[] {
    const handlers = this.handlers[kind].get(type) ?? NONE;
    if (!this.narrowed) return handlers;
    return handlers.filter((handler) => handler.source === undefined || handler.source === source);
  }

  all(): MessageHandler[] {
    return [...this.handlers.instruction.values(), ...this.handlers.event.values()].flat();
  }
}

const NONE: readonly MessageHandler[] = Object.freeze([]);
