import type { MessageHandlerOptions } from '../interfaces/message-handler-metadata.interface';
import type { InstructionType } from '../message/instruction-type.enum';
import { MessageHandler } from './message-handler.decorator';

/**
 * Makes the method the handler of one instruction type: it receives the validated payload
 * (`@Payload()`) and the message context (`@Ctx()`). An app has exactly one handler per
 * instruction type (per source, when `source` narrows it).
 */
export function OnInstruction(
  type: InstructionType | string,
  sourceOrOptions?: string | MessageHandlerOptions,
): MethodDecorator {
  return MessageHandler('instruction', type, sourceOrOptions);
}
