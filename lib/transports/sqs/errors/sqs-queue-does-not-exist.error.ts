import { SqsOperationError, type SqsOperationErrorDetails } from './sqs-operation.error';

/**
 * The target queue does not exist (or this account may not see it). Its own class because
 * it is the one failure callers handle differently: create the queue, or fix its name.
 */
export class SqsQueueDoesNotExistError extends SqsOperationError {
  override readonly name: string = 'SqsQueueDoesNotExistError';

  constructor(details: SqsOperationErrorDetails, options?: { cause?: unknown }) {
    super(
      {
        ...details,
        detail:
          'the queue does not exist: create it, or check the queue name and the account in sqs.queueUrl',
      },
      options,
    );
  }
}
