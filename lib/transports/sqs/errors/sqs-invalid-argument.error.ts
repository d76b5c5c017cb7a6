import { MessageBusError } from '../../../errors/message-bus.error';

/**
 * A call to the SQS client was given an argument SQS would refuse (a bad queue name, a delay
 * out of range, a FIFO send without a group id). Thrown before any request is made.
 */
export class SqsInvalidArgumentError extends MessageBusError {
  override readonly name: string = 'SqsInvalidArgumentError';

  /**
   * @param argument the argument or option as the caller writes it, e.g. `options.delaySeconds`
   * @param problem one sentence on what is wrong and how to fix it
   */
  constructor(
    readonly argument: string,
    readonly problem: string,
  ) {
    super(`Invalid SQS call: ${argument} ${problem}`);
  }
}
