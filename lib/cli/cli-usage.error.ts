import { MessageBusError } from '../errors/message-bus.error';

/** A flag of `nestjs-message-bus` is missing or wrong: exit code 2, nothing was read. */
export class CliUsageError extends MessageBusError {
  override readonly name: string = 'CliUsageError';

  constructor(
    readonly flag: string,
    problem: string,
  ) {
    super(`${flag} ${problem}`);
  }
}
