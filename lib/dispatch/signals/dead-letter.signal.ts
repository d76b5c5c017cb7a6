import { MessageBusError } from '../../errors/message-bus.error';

/**
 * Thrown by a handler that knows the message can never be processed (a reference that does
 * not exist, a state that forbids it): the message goes to the dead-letter destination at
 * once, with `reason`, and is not retried. The reason goes into dead-letter headers and log
 * lines, so it must not contain tokens or personal data.
 */
export class DeadLetter extends MessageBusError {
  override readonly name = 'DeadLetter';

  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}
