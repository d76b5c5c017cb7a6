import { MessageBusError } from '../../../errors/message-bus.error';

/**
 * An SQS consumer stopped for good: its queue or dead-letter queue does not exist, or the
 * credentials may not use it. Waiting will not help; the message says what to fix.
 */
export class SqsConsumerFailedError extends MessageBusError {
  override readonly name: string = 'SqsConsumerFailedError';

  /**
   * @param queue the consumed queue, as configured in `consumers.sqs[].queue`
   * @param problem one sentence on what failed and how to fix it
   */
  constructor(
    readonly queue: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`SQS consumer of queue ${queue} stopped: ${problem}`, options);
  }
}
