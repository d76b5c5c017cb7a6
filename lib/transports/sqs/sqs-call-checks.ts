import { isNonBlank, isWholeNumberIn } from '../../options/option-checks';
import { SqsInvalidArgumentError } from './errors/sqs-invalid-argument.error';
import type { SqsSendOptions } from './sqs-send-options.interface';
import { SQS_MAX_DELAY_SECONDS } from './sqs.constants';

/** SQS allows at most this many message attributes per message. */
const MAX_MESSAGE_ATTRIBUTES = 10;
/** Longest message attribute name SQS accepts. */
const MAX_ATTRIBUTE_NAME_LENGTH = 256;

/** Checks what SQS would refuse anyway in a send's options, before a request is made. */
export function checkSendOptions(options: SqsSendOptions, queueUrl: string, fifo: boolean): void {
  if (options.delaySeconds !== undefined) {
    checkWholeNumber(options.delaySeconds, 'options.delaySeconds', 0, SQS_MAX_DELAY_SECONDS);
    if (fifo && options.delaySeconds > 0) {
      throw new SqsInvalidArgumentError(
        'options.delaySeconds',
        `cannot be set per message on the FIFO queue ${queueUrl}: set the queue's DelaySeconds attribute instead`,
      );
    }
  }
  if (fifo && !isNonBlank(options.messageGroupId)) {
    throw new SqsInvalidArgumentError(
      'options.messageGroupId',
      `is required for the FIFO queue ${queueUrl}: messages with the same group id are delivered in order`,
    );
  }
  if (options.messageGroupId !== undefined && !isNonBlank(options.messageGroupId)) {
    throw new SqsInvalidArgumentError('options.messageGroupId', 'must be a non-empty string');
  }
  if (options.deduplicationId !== undefined) {
    if (!fifo) {
      throw new SqsInvalidArgumentError(
        'options.deduplicationId',
        `only applies to FIFO queues, and ${queueUrl} is a standard queue: drop it`,
      );
    }
    if (!isNonBlank(options.deduplicationId)) {
      throw new SqsInvalidArgumentError('options.deduplicationId', 'must be a non-empty string');
    }
  }
  const attributes = options.messageAttributes;
  if (attributes !== undefined) {
    const entries = Object.entries(attributes);
    if (entries.length > MAX_MESSAGE_ATTRIBUTES) {
      throw new SqsInvalidArgumentError(
        'options.messageAttributes',
        `has ${entries.length} attributes; SQS allows at most ${MAX_MESSAGE_ATTRIBUTES} per message`,
      );
    }
    for (const [name, value] of entries) {
      const problem = attributeNameProblem(name);
      if (problem !== undefined) {
        throw new SqsInvalidArgumentError(
          `options.messageAttributes.${name}`,
          `is not a name SQS accepts for a message attribute (publish header): it ${problem}`,
        );
      }
      if (!isNonBlank(value)) {
        throw new SqsInvalidArgumentError(
          `options.messageAttributes.${name}`,
          'must be a non-empty string: SQS refuses empty attribute values',
        );
      }
    }
  }
}

/** SQS's rules for message attribute names; undefined when `name` follows them. */
function attributeNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_ATTRIBUTE_NAME_LENGTH)
    return `must be 1-${MAX_ATTRIBUTE_NAME_LENGTH} characters long`;
  if (!/^[A-Za-z0-9_.-]+$/.test(name))
    return 'may only use letters, digits, "_", "-" and "." (rename the header)';
  if (name.startsWith('.') || name.endsWith('.') || name.includes('..'))
    return 'may not start or end with "." nor hold ".." (rename the header)';
  if (/^(aws\.|amazon\.)/i.test(name))
    return 'may not start with "AWS." or "Amazon.", which SQS reserves (rename the header)';
  return undefined;
}

export function checkWholeNumber(value: unknown, argument: string, min: number, max: number): void {
  if (!isWholeNumberIn(value, min, max)) {
    throw new SqsInvalidArgumentError(
      argument,
      `must be a whole number from ${min} to ${max}, got ${String(value)}`,
    );
  }
}

export function checkReceiptHandle(value: unknown, argument: string): void {
  if (!isNonBlank(value)) {
    throw new SqsInvalidArgumentError(
      argument,
      'must be the non-empty receipt handle of a received message',
    );
  }
}
