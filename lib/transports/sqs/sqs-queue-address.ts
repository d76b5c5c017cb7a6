import { MessageBusConfigurationError } from '../../errors/message-bus-configuration.error';
import { SqsInvalidArgumentError } from './errors/sqs-invalid-argument.error';
import { FIFO_SUFFIX } from './sqs.constants';

/** SQS queue names: 1-80 letters, digits, `-` and `_`, the `.fifo` suffix counting towards the 80. */
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,75}(?:\.fifo)?$|^[A-Za-z0-9_-]{1,80}$/;
const FULL_URL = /^https?:\/\//i;

/**
 * Checks `sqs.queueUrl` and returns it without trailing slashes, so that `${base}/${name}`
 * never doubles them. The URL itself stays out of the error when it carries user info.
 */
export function normaliseBaseQueueUrl(value: unknown, setting = 'sqs.queueUrl'): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MessageBusConfigurationError(
      setting,
      'is required: the SQS base URL, e.g. https://sqs.eu-west-1.amazonaws.com/123456789012',
    );
  }
  const url = parseHttpUrl(value.trim());
  if (!url) {
    throw new MessageBusConfigurationError(
      setting,
      `must be an http(s) URL such as https://sqs.eu-west-1.amazonaws.com/123456789012, got "${value}"`,
    );
  }
  if (url.username || url.password) {
    throw new MessageBusConfigurationError(
      setting,
      'must not carry user info: pass credentials in sqs.credentials',
    );
  }
  if (url.search || url.hash) {
    throw new MessageBusConfigurationError(
      setting,
      `must not have a query or fragment, got "${value}"`,
    );
  }
  return value.trim().replace(/\/+$/, '');
}

/**
 * The queue URL of a target: a full `http(s)://` URL as is, otherwise a queue name
 * appended to the base URL, as the Python client does.
 */
export function resolveQueueUrl(
  baseQueueUrl: string,
  target: string,
  argument = 'targetQueue',
): string {
  if (typeof target !== 'string' || target.trim() === '') {
    throw new SqsInvalidArgumentError(argument, 'is required: a queue name, or a full queue URL');
  }
  if (FULL_URL.test(target)) {
    const url = parseHttpUrl(target);
    if (!url || url.pathname.replace(/\/+$/, '') === '') {
      throw new SqsInvalidArgumentError(
        argument,
        `must be a queue URL ending in the queue name, got "${target}"`,
      );
    }
    return target;
  }
  assertQueueName(target, argument);
  return `${baseQueueUrl}/${target}`;
}

/** Throws unless `name` is a name SQS accepts for a queue. */
export function assertQueueName(name: string, argument = 'name'): void {
  if (!QUEUE_NAME.test(name)) {
    throw new SqsInvalidArgumentError(
      argument,
      `"${name}" is not a valid SQS queue name: use 1-80 letters, digits, "-" or "_" ` +
        '(a FIFO queue name ends in ".fifo"), or pass a full queue URL',
    );
  }
}

/** The last path segment of a queue URL: the queue name. */
export function queueNameOf(queueUrl: string): string {
  const path = queueUrl.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

/** SQS marks FIFO queues by name only, so the URL is enough to tell. */
export function isFifoQueueUrl(queueUrl: string): boolean {
  return queueNameOf(queueUrl).endsWith(FIFO_SUFFIX);
}

function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
