import { MessageBusError } from '../../../errors/message-bus.error';

/**
 * A KafkaClient call was given an argument Kafka would refuse (a bad topic name, a negative
 * timeout, a key that is not a string). Thrown before anything is sent or read.
 */
export class KafkaInvalidArgumentError extends MessageBusError {
  override readonly name: string = 'KafkaInvalidArgumentError';

  /**
   * @param argument the argument or option as the caller writes it, e.g. `options.timeoutMs`
   * @param problem one sentence on what is wrong and how to fix it
   */
  constructor(
    readonly argument: string,
    readonly problem: string,
  ) {
    super(`Invalid Kafka call: ${argument} ${problem}`);
  }
}
