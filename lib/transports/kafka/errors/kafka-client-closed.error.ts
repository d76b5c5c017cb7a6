import { MessageBusError } from '../../../errors/message-bus.error';

/** The KafkaClient was used after `close()`: a shutdown ordering bug in the caller. */
export class KafkaClientClosedError extends MessageBusError {
  override readonly name: string = 'KafkaClientClosedError';

  constructor(readonly operation: string) {
    super(
      `Kafka ${operation} called after KafkaClient.close(): create a new KafkaClient, or stop using it before closing it`,
    );
  }
}
