import { boundFailureText } from '../../../errors/bounded-failure-text';
import { MessageBusConfigurationError } from '../../../errors/message-bus-configuration.error';
import { SqsConsumerFailedError } from '../errors/sqs-consumer-failed.error';
import { SqsClientClosedError } from '../errors/sqs-client-closed.error';
import { SqsInvalidArgumentError } from '../errors/sqs-invalid-argument.error';
import { SqsOperationError } from '../errors/sqs-operation.error';
import { SqsQueueDoesNotExistError } from '../errors/sqs-queue-does-not-exist.error';

/**
 * SQS codes that waiting will not cure: the queue is missing, or these credentials may not
 * use it. Throttling, 5xx, timeouts and refused connections are not here: they pass.
 */
const PERMANENT_CODES = new Set([
  'QueueDoesNotExist',
  'AccessDenied',
  'AccessDeniedException',
  'AuthorizationError',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'InvalidSecurity',
  'OptInRequired',
  'KmsAccessDenied',
  'KMS.AccessDeniedException',
  'KmsDisabled',
  'KmsNotFound',
  'InvalidAddress',
  'UnsupportedOperation',
  'InvalidAction',
]);

/**
 * Whether a failed SQS call means the consumer cannot go on (status `failed`) rather than
 * that the broker is briefly unreachable or busy (status `reconnecting`, retried).
 */
export function isPermanentSqsError(error: unknown): boolean {
  if (error instanceof SqsQueueDoesNotExistError || error instanceof SqsConsumerFailedError)
    return true;
  if (error instanceof SqsInvalidArgumentError || error instanceof SqsClientClosedError)
    return true;
  if (error instanceof MessageBusConfigurationError) return true;
  if (error instanceof SqsOperationError)
    return PERMANENT_CODES.has(error.code) || error.httpStatusCode === 403;
  return false;
}

/** One line on an error for a log or `lastError`: its class and message, never a request body; bounded. */
export function describeError(error: unknown): string {
  return boundFailureText(
    error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  );
}
