import { MessageBusError } from '../../../errors/message-bus.error';

/** The SqsClient was used after `close()`: a shutdown ordering bug in the caller. */
export class SqsClientClosedError extends MessageBusError {
  override readonly name: string = 'SqsClientClosedError';

  constructor(readonly operation: string) {
    super(
      `SQS ${operation} called after SqsClient.close(): create a new SqsClient, or stop using it before closing it`,
    );
  }
}
