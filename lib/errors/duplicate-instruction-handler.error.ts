import { MessageBusError } from './message-bus.error';

/** Two methods claim the same instruction: an instruction must be carried out once. */
export class DuplicateInstructionHandlerError extends MessageBusError {
  override readonly name: string = 'DuplicateInstructionHandlerError';

  constructor(
    readonly instructionType: string,
    readonly handlers: readonly [string, string],
  ) {
    super(
      `Instruction ${instructionType} has two handlers, ${handlers[0]} and ${handlers[1]}: ` +
        'an instruction type takes exactly one handler per source; remove one, or narrow each to a different source',
    );
  }
}
