import type {
  SqsBatchFailure,
  SqsBatchSuccess,
} from '../sqs-batch-result.interface';
import { MessageBusError } from '../../../errors/message-bus.error';

/** How many failures the message spells out; `failed` always has them all. */
const LISTED_FAILURES = 3;

/**
 * Some entries of a batch call failed. Carries every entry's outcome, so the caller can
 * retry exactly the failed ones; `cause` is set when a whole request failed.
 */
export class SqsBatchError<
  TSuccess extends SqsBatchSuccess = SqsBatchSuccess,
> extends MessageBusError {
  override readonly name: string = 'SqsBatchError';

  constructor(
    readonly operation: string,
    readonly queue: string,
    readonly successful: readonly TSuccess[],
    readonly failed: readonly SqsBatchFailure[],
    options?: { cause?: unknown },
  ) {
    const total = successful.length + failed.length;
    const listed = failed
      .slice(0, LISTED_FAILURES)
      .map((failure) => `#${failure.index} ${failure.code}`)
      .join(', ');
    const more =
      failed.length > LISTED_FAILURES ? `, and ${failed.length - LISTED_FAILURES} more` : '';
    super(
      `SQS ${operation} on queue ${queue}: ${failed.length} of ${total} entries failed (${listed}${more}); ` +
        'the error lists each failed index: retry those',
      options,
    );
  }

  /** The input indexes of the failed entries, in order. */
  get failedIndexes(): number[] {
    return this.failed.map((failure) => failure.index);
  }
}
