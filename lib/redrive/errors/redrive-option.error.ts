import { MessageBusError } from '../../errors/message-bus.error';

/** A redrive or listing option is wrong; thrown before anything is read. */
export class RedriveOptionError extends MessageBusError {
  override readonly name: string = 'RedriveOptionError';

  /**
   * @param option the option as the API names it, e.g. `limit`
   * @param problem one sentence on what is wrong and what to pass instead
   */
  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`Invalid redrive option: ${option} ${problem}`);
  }
}
