import { SqsOperationError, type SqsOperationErrorDetails } from './errors/sqs-operation.error';
import { SqsQueueDoesNotExistError } from './errors/sqs-queue-does-not-exist.error';

/** The codes SQS and its emulators use for a missing queue (JSON protocol, then the query-compatible code). */
const QUEUE_DOES_NOT_EXIST = new Set([
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'NonExistentQueue',
]);
const MAX_DETAIL = 300;

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  Code?: unknown;
  /** Node's network errors: `ECONNREFUSED`, `ETIMEDOUT`, ... */
  code?: unknown;
  $fault?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

/** Wraps any failure of an SDK call in an `SqsOperationError` (or its queue-missing subclass). */
export function toSqsOperationError(
  operation: string,
  queue: string,
  error: unknown,
): SqsOperationError {
  if (error instanceof SqsOperationError) return error;
  const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = typeof sdk.name === 'string' && sdk.name !== 'Error' ? sdk.name : undefined;
  const queryCode = typeof sdk.Code === 'string' ? sdk.Code : undefined;
  const systemCode = typeof sdk.code === 'string' ? sdk.code : undefined;
  const code = name ?? queryCode ?? systemCode ?? 'UnknownError';
  const status = sdk.$metadata?.httpStatusCode;
  const details: SqsOperationErrorDetails = {
    operation,
    queue,
    code,
    senderFault: sdk.$fault === 'client' ? true : sdk.$fault === 'server' ? false : undefined,
    retryable: sdk.$retryable !== undefined ? Boolean(sdk.$retryable) : undefined,
    httpStatusCode: typeof status === 'number' ? status : undefined,
    requestId: typeof sdk.$metadata?.requestId === 'string' ? sdk.$metadata.requestId : undefined,
    detail:
      typeof sdk.message === 'string' && sdk.message !== '' ? truncate(sdk.message) : undefined,
  };
  if (
    QUEUE_DOES_NOT_EXIST.has(code) ||
    (queryCode !== undefined && QUEUE_DOES_NOT_EXIST.has(queryCode))
  ) {
    return new SqsQueueDoesNotExistError(
      { ...details, code: 'QueueDoesNotExist' },
      { cause: error },
    );
  }
  return new SqsOperationError(details, { cause: error });
}

/** The SDK's "no credentials anywhere in the chain" (`sqs.credentials` unset and none found). */
export function isCredentialsMissing(error: unknown): boolean {
  return hasErrorName(error, 'CredentialsProviderError');
}

function hasErrorName(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

function truncate(text: string): string {
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}...` : text;
}
