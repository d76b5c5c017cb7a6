import { MessageBusError } from './message-bus.error';

/** `MessageBusConsumers` was asked about a consumer this app does not declare. */
export class UnknownConsumerError extends MessageBusError {
  override readonly name: string = 'UnknownConsumerError';

  constructor(
    readonly consumer: string,
    /** The names this app's consumers have, as `statuses()` shows them. */
    readonly known: readonly string[],
  ) {
    const names = known.length > 0 ? known.map((name) => `"${name}"`).join(', ') : 'none';
    super(
      `No consumer is named "${consumer}": use one of the names statuses() shows (${names}), ` +
        'or declare it in consumers.sqs or consumers.kafka',
    );
  }
}
