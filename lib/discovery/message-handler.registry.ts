import { Injectable } from '@nestjs/common';
import { DuplicateInstructionHandlerError } from '../errors/duplicate-instruction-handler.error';
import type { MessageKind } from '../message/message-kind';
import type { MessageHandler } from './message-handler';

/** The handlers of the app, by message kind and type. Filled once at module init. */
@Injectable()
export class MessageHandlerRegistry {
  private readonly handlers = new Map<string, MessageHandler[]>();

  add(handler: MessageHandler): void {
    const key = keyOf(handler.kind, handler.type);
    const existing = this.handlers.get(key) ?? [];
    if (handler.kind === 'instruction') {
      // Two handlers clash when one message could reach both.
      const clash = existing.find(
        (other) => other.source === undefined || handler.source === undefined || other.source === handler.source,
      );
      if (clash) throw new DuplicateInstructionHandlerError(handler.type, [clash.name, handler.name]);
    }
    this.handlers.set(key, [...existing, handler]);
  }

  /** The handlers a message of this type from this source reaches. */
  find(kind: MessageKind, type: string, source: string): MessageHandler[] {
    return (this.handlers.get(keyOf(kind, type)) ?? []).filter(
      (handler) => handler.source === undefined || handler.source === source,
    );
  }

  all(): MessageHandler[] {
    return [...this.handlers.values()].flat();
  }
}

function keyOf(kind: MessageKind, type: string): string {
  return `${kind}:${type}`;
}
