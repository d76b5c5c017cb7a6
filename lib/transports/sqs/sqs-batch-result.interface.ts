/** One entry of a batch call that SQS accepted; `index` is its position in the caller's array. */
export interface SqsBatchSuccess {
  readonly index: number;
}

/** One entry of `sendMessages` that SQS accepted. */
export interface SqsSentMessage extends SqsBatchSuccess {
  readonly messageId: string;
  /** FIFO queues only. */
  readonly sequenceNumber?: string;
}

/** One entry of a batch call that was not carried out. */
export interface SqsBatchFailure {
  readonly index: number;
  /**
   * The SQS error code of the entry (`InvalidParameterValue`, `ReceiptHandleIsInvalid`, ...),
   * `MessageValidationError` for an envelope refused before sending, the code of the whole
   * request when that failed, or `NotAttempted` for entries skipped after such a failure.
   */
  readonly code: string;
  readonly reason: string;
  /** True when the entry itself is at fault (retrying it unchanged will fail again). */
  readonly senderFault: boolean;
  /** The error behind the failure, when there is one (a `MessageValidationError`, an `SqsOperationError`). */
  readonly error?: Error;
}

/**
 * The outcome of a batch call. The call resolves with it only when every entry succeeded
 * (so `failed` is then empty); otherwise it throws an `SqsBatchError` carrying both lists.
 */
export interface SqsBatchResult<TSuccess extends SqsBatchSuccess = SqsBatchSuccess> {
  readonly successful: TSuccess[];
  readonly failed: SqsBatchFailure[];
}

/** An entry of `changeMessageVisibilityBatch`. */
export interface SqsVisibilityChange {
  readonly receiptHandle: string;
  /** 0-43200 seconds from now; 0 makes the message visible again at once. */
  readonly visibilityTimeout: number;
}
