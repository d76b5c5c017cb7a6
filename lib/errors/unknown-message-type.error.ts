import type { MessageKind } from '../message/message-kind';
import { MessageValidationError } from './message-validation.error';

/** The envelope is well formed but names a type that has no payload class registered. */
export class UnknownMessageTypeError extends MessageValidationError {
  override readonly name: string = 'UnknownMessageTypeError';

  constructor(
    readonly kind: MessageKind,
    readonly messageType: string,
  ) {
    const field = kind === 'instruction' ? 'meta_data.instruction_type' : 'meta_data.event';
    // Quoted and cut short: the type comes from untrusted input and ends up in logs.
    const shown = JSON.stringify(
      messageType.length > 64 ? `${messageType.slice(0, 64)}…` : messageType,
    );
    super(
      [
        {
          field,
          problems: [
            `${field} ${shown} is an unknown message type: register a payload class for it in the MessageTypeRegistry`,
          ],
        },
      ],
      'Unknown message type',
    );
  }
}
