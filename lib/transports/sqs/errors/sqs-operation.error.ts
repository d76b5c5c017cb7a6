import { MessageBusError } from '../../../errors/message-bus.error';

/** What the SDK told us about a failed call, without anything from the request itself. */
export interface SqsOperationErrorDetails {
  /** The SQS API action, e.g. `SendMessage`. */
  readonly operation: string;
  /** The queue URL the call was for, or the queue name for calls made by name (`CreateQueue`). */
  readonly queue: string;
  /** The SQS error code (`QueueDoesNotExist`, `ThrottlingException`, ...) or the SDK error name. */
  readonly code: string;
  /** True when SQS blamed the request (a 4xx), false when it blamed itself, undefined when unknown. */
  readonly senderFault?: boolean;
  /** Whether the SDK considered the failure retryable. */
  readonly retryable?: boolean;
  readonly httpStatusCode?: number;
  readonly requestId?: string;
  /** SQS's own explanation, when it sent one; it never repeats message bodies. */
  readonly detail?: string;
}

/**
 * An SQS call failed. Thrown instead of returning an empty result, so that a broken
 * queue or credentials never look like an idle queue; `cause` is the SDK error.
 */
export class SqsOperationError extends MessageBusError implements SqsOperationErrorDetails {
  override readonly name: string = 'SqsOperationError';
  readonly operation: string;
  readonly queue: string;
  readonly code: string;
  readonly senderFault?: boolean;
  readonly retryable?: boolean;
  readonly httpStatusCode?: number;
  readonly requestId?: string;
  readonly detail?: string;

  constructor(details: SqsOperationErrorDetails, options?: { cause?: unknown }) {
    const detail = details.detail ? `: ${details.detail}` : '';
    super(
      `SQS ${details.operation} on queue ${details.queue} failed with ${details.code}${detail}`,
      options,
    );
    this.operation = details.operation;
    this.queue = details.queue;
    this.code = details.code;
    this.senderFault = details.senderFault;
    this.retryable = details.retryable;
    this.httpStatusCode = details.httpStatusCode;
    this.requestId = details.requestId;
    this.detail = details.detail;
  }
}
