import { MessageBusError } from './message-bus.error';

/** A setting is missing or wrong. Thrown at construction or start-up, never later. */
export class MessageBusConfigurationError extends MessageBusError {
  override readonly name: string = 'MessageBusConfigurationError';

  /**
   * @param setting the option path as the user writes it, e.g. `kafka.bootstrapServers`
   * @param problem one sentence on what is wrong and how to fix it
   */
  constructor(
    readonly setting: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`Invalid message bus configuration: ${setting} ${problem}`, options);
  }
}
