import { loadSqsSdk } from './sqs-sdk.loader';
import { resolveSqsClientConfig } from './sqs-client-config';
import type { SqsClientOptions } from './sqs-client-options.interface';
import { SqsSdkSession } from './sqs-sdk-session';

/**
 * Asks SQS for one attribute of a queue (`GetQueueAttributes`), the cheapest call that
 * proves both the endpoint and the queue are there. It runs on an SDK client of its own,
 * built from the module's `sqs` options with a single attempt, so that a slow endpoint
 * neither holds the consumers' sockets nor retries past the caller's timeout; `signal`
 * aborts the request. A client passed in as `sqs.client` is used as it is (and stays the
 * caller's to destroy).
 */
export class SqsReachabilityProbe {
  private readonly session: SqsSdkSession;

  constructor(options: SqsClientOptions) {
    const { queueUrl, sdkConfig } = resolveSqsClientConfig(options);
    const api = loadSqsSdk();
    const own = options.client === undefined;
    const sdk = options.client ?? new api.SQSClient({ ...sdkConfig, maxAttempts: 1 });
    this.session = new SqsSdkSession(queueUrl, sdk, own, api);
  }

  /** Resolves when the queue answered; rejects with an `SqsOperationError` naming it. */
  async probe(queue: string, signal: AbortSignal): Promise<void> {
    const queueUrl = this.session.queueUrlOf(queue);
    await this.session.call('GetQueueAttributes', queue, (sdk) =>
      sdk.send(
        new this.session.api.GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: ['QueueArn'],
        }),
        { abortSignal: signal },
      ),
    );
  }

  /** Releases the SDK client's sockets, when this probe built it. */
  close(): void {
    this.session.close();
  }
}
