import type { MessageHandlerOptions } from '../interfaces/message-handler-metadata.interface';
import type { EventType } from '../message/event-type.enum';
import { MessageHandler } from './message-handler.decorator';

/** Subscribes the method to an event type. Any number of handlers may share an event; each is called. */
export function OnEvent(
  type: EventType | string,
  sourceOrOptions?: string | MessageHandlerOptions,
): MethodDecorator {
  return MessageHandler('event', type, sourceOrOptions);
}
