import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { resolveSqsClientConfig } from './sqs-client-config';
import type { SqsClientOptions } from './sqs-client-options.interface';
import { toSqsOperationError } from './sqs-error-mapping';
import { resolveQueueUrl } from './sqs-queue-address';

/**
 * Asks SQS for one attribute of a queue (`GetQueueAttributes`), the cheapest call that
 * proves both the endpoint and the queue are there. It runs on an SDK client of its own,
 * built from the module's `sqs` options with a single attempt, so that a slow endpoint
 * neither holds the consumers' sockets nor retries past the caller's timeout; `signal`
 * aborts the request. A client passed in as `sqs.client` is used as it is (and stays the
 * caller's to destroy).
 */
export class SqsReachabilityProbe {
  private readonly queueUrl: string;
  private readonly sdk: SQSClient;
  private readonly ownsSdk: boolean;

  constructor(options: SqsClientOptions) {
    const config = resolveSqsClientConfig(options);
    this.queueUrl = config.queueUrl;
    this.ownsSdk = options.client === undefined;
    this.sdk = options.client ?? new SQSClient({ ...config.sdkConfig, maxAttempts: 1 });
  }

  /** Resolves when the queue answered; rejects with an `SqsOperationError` naming it. */
  async probe(queue: string, signal: AbortSignal): Promise<void> {
    try {
      await this.sdk.send(
        new GetQueueAttributesCommand({
          QueueUrl: resolveQueueUrl(this.queueUrl, queue, 'queue'),
          AttributeNames: ['QueueArn'],
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      throw toSqsOperationError('GetQueueAttributes', queue, error);
    }
  }

  /** Releases the SDK client's sockets, when this probe built it. */
  close(): void {
    if (this.ownsSdk) this.sdk.destroy();
  }
}
