import type { SQSClient } from '@aws-sdk/client-sqs';
import { SqsClientClosedError } from './errors/sqs-client-closed.error';
import { SqsCredentialsMissingError } from './errors/sqs-credentials-missing.error';
import { isCredentialsMissing, toSqsOperationError } from './sqs-error-mapping';
import { resolveQueueUrl } from './sqs-queue-address';
import type { SqsSdkModule } from './sqs-sdk.loader';

/**
 * The SDK client every call of one `SqsClient` goes through, with the base queue URL and
 * whether the client is closed. One SDK client is built once and reused by every call.
 */
export class SqsSdkSession {
  private closed = false;

  /**
   * @param queueUrl the base URL queue names are appended to, without trailing slashes
   * @param ownsSdk false for a client passed in: it stays the caller's to destroy
   * @param api the loaded `@aws-sdk/client-sqs` module, whose command classes every call builds
   */
  constructor(
    readonly queueUrl: string,
    private readonly sdk: SQSClient,
    private readonly ownsSdk: boolean,
    readonly api: SqsSdkModule,
  ) {}

  /** The queue URL of a queue name (appended to `queueUrl`) or of a full queue URL (returned as is). */
  queueUrlOf(targetQueue: string): string {
    return resolveQueueUrl(this.queueUrl, targetQueue);
  }

  /**
   * Runs one SDK call, turning any failure into an `SqsOperationError` that names the operation
   * and queue, or into `SqsCredentialsMissingError` when the SDK found no credentials.
   */
  async call<T>(operation: string, queue: string, run: (sdk: SQSClient) => Promise<T>): Promise<T> {
    this.assertOpen(operation);
    try {
      return await run(this.sdk);
    } catch (error) {
      if (isCredentialsMissing(error)) throw credentialsMissing(error);
      throw toSqsOperationError(operation, queue, error);
    }
  }

  /**
   * Resolves the SDK client's credentials (the SDK keeps them for its calls) and throws
   * `SqsCredentialsMissingError` when there are none. Any other failure is left to the calls,
   * which report it with the operation and queue.
   */
  async checkCredentials(): Promise<void> {
    this.assertOpen('checkCredentials');
    const provider = (this.sdk as { config?: { credentials?: unknown } }).config?.credentials;
    if (typeof provider !== 'function') return;
    try {
      await (provider as () => Promise<unknown>)();
    } catch (error) {
      if (isCredentialsMissing(error)) throw credentialsMissing(error);
    }
  }

  assertOpen(operation: string): void {
    if (this.closed) throw new SqsClientClosedError(operation);
  }

  /** Releases the SDK client's sockets, when this session built it. Safe to call more than once. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsSdk) this.sdk.destroy();
  }
}

function credentialsMissing(error: unknown): SqsCredentialsMissingError {
  const detail = error instanceof Error ? error.message.slice(0, 200) : undefined;
  return new SqsCredentialsMissingError(detail, { cause: error });
}
