import { SqsBatchError } from '../../../../lib/transports/sqs/errors/sqs-batch.error';
import { sleep } from '../../../../lib/transports/sqs/consumer/sqs-consumer-backoff';
import type { SqsVisibilityChange } from '../../../../lib/transports/sqs/sqs-batch-result.interface';
import type { SqsReceiveManyOptions } from '../../../../lib/transports/sqs/sqs-receive-options.interface';
import type { SqsReceivedMessage } from '../../../../lib/transports/sqs/sqs-received-message.interface';
import type { SqsClient } from '../../../../lib/transports/sqs/sqs.client';

export const BASE = 'http://fake-sqs/000000000000';

/** How often a long poll looks for visible messages again. */
const LONG_POLL_CHECK_MS = 5;

interface FakeMessage {
  readonly id: string;
  readonly body: string;
  readonly groupId?: string;
  readonly sequence: number;
  receiveCount: number;
  visibleAt: number;
  handle?: string;
  deleted: boolean;
}

/**
 * Just enough of SQS, in memory, for SqsConsumer: visibility timeouts, receipt handles that
 * go stale on redelivery, batch calls with per-entry failures. Records every call.
 */
export class FakeSqsClient {
  readonly queueUrl = BASE;
  readonly messages: FakeMessage[] = [];
  readonly receives: Array<{
    maxMessages: number;
    waitTimeSeconds?: number;
    visibilityTimeout?: number;
  }> = [];
  readonly deletes: string[] = [];
  readonly visibilityChanges: Array<{ id: string; visibilityTimeout: number }> = [];
  readonly deadLetters: Array<{
    queueUrl: string;
    body: string;
    attributes: Record<string, { StringValue?: string }>;
  }> = [];
  /** Thrown, one per call, by the next receives. */
  readonly receiveErrors: Error[] = [];
  attributesError?: Error;
  deadLetterError?: Error;
  redrivePolicy?: string;
  /** Every delete entry fails, as with a stale receipt handle. */
  failDeletes = false;
  /** Receives never answer (a network that swallows requests): only an abort ends them. */
  hangReceives = false;
  /** Receives sent and not yet answered by the "server", aborted ones included. */
  openReceives = 0;
  /** What receives took after their caller had aborted them: hidden, and handed to nobody. */
  readonly lostToAbortedReceives: SqsReceivedMessage[] = [];
  private handles = 0;
  private sequence = 0;

  /** What SqsConsumer's dead-letter publisher sends with. */
  async sendRawMessage(
    body: string,
    queueUrl: string,
    options: { messageAttributes?: Record<string, { StringValue?: string }> } = {},
  ): Promise<string> {
    if (this.deadLetterError) throw this.deadLetterError;
    this.deadLetters.push({ queueUrl, body, attributes: options.messageAttributes ?? {} });
    return `dlq-${this.deadLetters.length}`;
  }

  /** The fake signs nothing: there are always credentials. */
  async checkCredentials(): Promise<void> {}

  asClient(): SqsClient {
    return this as unknown as SqsClient;
  }

  send(body: string, groupId?: string): string {
    const id = `m-${this.messages.length}`;
    this.messages.push({
      id,
      body,
      groupId,
      sequence: ++this.sequence,
      receiveCount: 0,
      visibleAt: 0,
      deleted: false,
    });
    return id;
  }

  /** Messages not deleted. */
  get remaining(): number {
    return this.messages.filter((message) => !message.deleted).length;
  }

  /** Messages received and not yet deleted nor visible again. */
  get inFlight(): number {
    const now = Date.now();
    return this.messages.filter((message) => !message.deleted && message.visibleAt > now).length;
  }

  resolveQueueUrl(queue: string): string {
    return queue.startsWith('http') ? queue : `${BASE}/${queue}`;
  }

  async getQueueAttributes(): Promise<Record<string, string>> {
    if (this.attributesError) throw this.attributesError;
    return this.redrivePolicy ? { RedrivePolicy: this.redrivePolicy } : {};
  }

  async receiveMessages(
    _queue: string,
    options: SqsReceiveManyOptions = {},
  ): Promise<SqsReceivedMessage[]> {
    const maxMessages = options.maxMessages ?? 10;
    this.receives.push({
      maxMessages,
      waitTimeSeconds: options.waitTimeSeconds,
      visibilityTimeout: options.visibilityTimeout,
    });
    const { abortSignal } = options;
    if (abortSignal?.aborted) return [];
    this.openReceives += 1;
    const answered = this.answerReceive(options, maxMessages).finally(() => {
      this.openReceives -= 1;
    });
    if (!abortSignal) return answered;
    // An abort ends the SDK's HTTP request at once, but not the long poll on the server (as
    // on SQS and ElasticMQ): what it still takes is hidden for its visibility timeout, and
    // handed to nobody.
    return new Promise((resolve, reject) => {
      const abandon = (): void => {
        void answered.then((messages) => this.lostToAbortedReceives.push(...messages));
        resolve([]);
      };
      abortSignal.addEventListener('abort', abandon, { once: true });
      answered.then(
        (messages) => {
          abortSignal.removeEventListener('abort', abandon);
          resolve(messages);
        },
        (error: unknown) => {
          abortSignal.removeEventListener('abort', abandon);
          reject(error);
        },
      );
    });
  }

  /** The server's side of a receive: waits up to `waitTimeSeconds` for visible messages. */
  private async answerReceive(
    options: SqsReceiveManyOptions,
    maxMessages: number,
  ): Promise<SqsReceivedMessage[]> {
    // A real receive is I/O: never answer within the same turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    const error = this.receiveErrors.shift();
    if (error) throw error;
    if (this.hangReceives) await new Promise<never>(() => undefined);
    const deadline = Date.now() + (options.waitTimeSeconds ?? 0) * 1_000;
    for (;;) {
      const now = Date.now();
      const visible = this.messages
        .filter((message) => !message.deleted && message.visibleAt <= now)
        .slice(0, maxMessages);
      if (visible.length > 0 || now >= deadline) {
        return visible.map((message) => this.deliver(message, options.visibilityTimeout ?? 30));
      }
      await sleep(LONG_POLL_CHECK_MS);
    }
  }

  async deleteMessages(queue: string, handles: readonly string[]): Promise<unknown> {
    return this.batch('DeleteMessageBatch', queue, handles, (message) => {
      message.deleted = true;
      this.deletes.push(message.id);
    });
  }

  async changeMessageVisibilityBatch(
    queue: string,
    changes: readonly SqsVisibilityChange[],
  ): Promise<unknown> {
    return this.batch(
      'ChangeMessageVisibilityBatch',
      queue,
      changes.map((change) => change.receiptHandle),
      (message, index) => {
        message.visibleAt = Date.now() + changes[index].visibilityTimeout * 1_000;
        this.visibilityChanges.push({
          id: message.id,
          visibilityTimeout: changes[index].visibilityTimeout,
        });
      },
    );
  }

  async close(): Promise<void> {}

  private deliver(message: FakeMessage, visibilityTimeout: number): SqsReceivedMessage {
    message.receiveCount += 1;
    message.visibleAt = Date.now() + visibilityTimeout * 1_000;
    message.handle = `h-${++this.handles}`;
    return {
      receiptHandle: message.handle,
      messageId: message.id,
      rawBody: message.body,
      body: message.body,
      receiveCount: message.receiveCount,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        ...(message.groupId !== undefined
          ? { MessageGroupId: message.groupId, SequenceNumber: String(message.sequence) }
          : {}),
      },
      messageAttributes: {},
    };
  }

  private async batch(
    operation: string,
    queue: string,
    handles: readonly string[],
    apply: (message: FakeMessage, index: number) => void,
  ) {
    const failed: Array<{ index: number; code: string; reason: string; senderFault: boolean }> = [];
    const successful: Array<{ index: number }> = [];
    handles.forEach((handle, index) => {
      const message = this.messages.find(
        (candidate) => candidate.handle === handle && !candidate.deleted,
      );
      if (!message || (operation === 'DeleteMessageBatch' && this.failDeletes)) {
        failed.push({
          index,
          code: 'ReceiptHandleIsInvalid',
          reason: 'stale receipt handle',
          senderFault: true,
        });
        return;
      }
      apply(message, index);
      successful.push({ index });
    });
    if (failed.length > 0) throw new SqsBatchError(operation, queue, successful, failed);
    return { successful, failed };
  }
}
