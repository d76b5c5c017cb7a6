import type { BatchResultErrorEntry, SQSClient } from '@aws-sdk/client-sqs';
import { SqsBatchError } from './errors/sqs-batch.error';
import type { SqsOperationError } from './errors/sqs-operation.error';
import type {
  SqsBatchFailure,
  SqsBatchResult,
  SqsBatchSuccess,
} from './sqs-batch-result.interface';
import type { SqsSdkSession } from './sqs-sdk-session';

/** What every SQS batch call answers: the entries it carried out and those it did not. */
export interface SqsBatchResponse {
  readonly Successful?: ReadonlyArray<{ Id?: string; MessageId?: string; SequenceNumber?: string }>;
  readonly Failed?: readonly BatchResultErrorEntry[];
}

/** One batch call: its entries, already split into requests SQS accepts (see `chunkBatch`). */
export interface SqsBatchRun<TEntry extends { index: number }, TSuccess extends SqsBatchSuccess> {
  readonly operation: string;
  readonly queueUrl: string;
  readonly chunks: readonly TEntry[][];
  /** Entries refused before any request (an invalid envelope, say). */
  readonly rejected: readonly SqsBatchFailure[];
  readonly send: (sdk: SQSClient, chunk: TEntry[]) => Promise<SqsBatchResponse>;
  readonly toSuccess: (
    index: number,
    success: { MessageId?: string; SequenceNumber?: string },
  ) => TSuccess;
}

/**
 * Runs prepared batches one request after another, collecting every entry's outcome.
 * A failed request marks its entries and every later one failed, and stops. Resolves when
 * every entry succeeded; otherwise throws `SqsBatchError` listing every entry's outcome by index.
 */
export async function runSqsBatches<
  TEntry extends { index: number },
  TSuccess extends SqsBatchSuccess,
>(session: SqsSdkSession, run: SqsBatchRun<TEntry, TSuccess>): Promise<SqsBatchResult<TSuccess>> {
  const { operation, queueUrl, send, toSuccess } = run;
  const successful: TSuccess[] = [];
  const failed: SqsBatchFailure[] = [...run.rejected];
  let requestError: SqsOperationError | undefined;

  for (const chunk of run.chunks) {
    if (requestError) {
      for (const entry of chunk) {
        failed.push({
          index: entry.index,
          code: 'NotAttempted',
          reason: `not attempted: an earlier ${operation} request failed with ${requestError.code}`,
          senderFault: false,
        });
      }
      continue;
    }
    let response: SqsBatchResponse;
    try {
      response = await session.call(operation, queueUrl, (sdk) => send(sdk, chunk));
    } catch (error) {
      requestError = error as SqsOperationError;
      for (const entry of chunk) {
        failed.push({
          index: entry.index,
          code: requestError.code,
          reason: requestError.message,
          senderFault: requestError.senderFault ?? false,
          error: requestError,
        });
      }
      continue;
    }
    const answered = new Set<number>();
    for (const success of response.Successful ?? []) {
      const index = Number(success.Id);
      answered.add(index);
      successful.push(toSuccess(index, success));
    }
    for (const failure of response.Failed ?? []) {
      const index = Number(failure.Id);
      answered.add(index);
      failed.push({
        index,
        code: failure.Code ?? 'UnknownError',
        reason: failure.Message ?? failure.Code ?? 'SQS gave no reason',
        senderFault: failure.SenderFault ?? false,
      });
    }
    for (const entry of chunk) {
      if (answered.has(entry.index)) continue;
      // Never assume success for an entry SQS did not mention.
      failed.push({
        index: entry.index,
        code: 'MissingFromResponse',
        reason: `SQS ${operation} answered without a result for this entry`,
        senderFault: false,
      });
    }
  }

  successful.sort((a, b) => a.index - b.index);
  failed.sort((a, b) => a.index - b.index);
  if (failed.length > 0) {
    throw new SqsBatchError<TSuccess>(
      operation,
      queueUrl,
      successful,
      failed,
      requestError ? { cause: requestError } : undefined,
    );
  }
  return { successful, failed };
}
