import type {
  SqsBatchResult,
  SqsSentMessage,
  SqsVisibilityChange,
} from './sqs-batch-result.interface';
import { resolveSqsClientConfig } from './sqs-client-config';
import type { SqsClientOptions } from './sqs-client-options.interface';
import type { SqsOutgoingMessage } from './sqs-message-body';
import { SqsQueueAdmin } from './sqs-queue-admin';
import { SqsReceiptHandles } from './sqs-receipt-handles';
import type { SqsReceiveManyOptions, SqsReceiveOptions } from './sqs-receive-options.interface';
import type { SqsReceivedMessage } from './sqs-received-message.interface';
import { SqsSdkSession } from './sqs-sdk-session';
import { loadSqsSdk } from './sqs-sdk.loader';
import type {
  SqsRawSendOptions,
  SqsSendBatchOptions,
  SqsSendOptions,
} from './sqs-send-options.interface';
import { SqsReceiver } from './sqs.receiver';
import { SqsSender } from './sqs.sender';

export type { SqsSendBatchOptions } from './sqs-send-options.interface';

/**
 * The bus's SQS client: sends envelopes byte for byte as the Python client does, and
 * receives, deletes and re-times messages for the consumer runtime. One SDK client is
 * built once and reused by every call. Every failure is thrown as a typed error; batch
 * calls report each entry (see `SqsBatchError`).
 *
 * A facade over one role per file: `SqsSender` (sending), `SqsReceiver` (receiving),
 * `SqsReceiptHandles` (deleting and re-timing what was received) and `SqsQueueAdmin`
 * (queues), all on one `SqsSdkSession`. Free of Nest on purpose, so that it works on its
 * own and as a provider.
 */
export class SqsClient {
  /** The base URL queue names are appended to, without trailing slashes. */
  readonly queueUrl: string;
  private readonly session: SqsSdkSession;
  private readonly sender: SqsSender;
  private readonly receiver: SqsReceiver;
  private readonly receipts: SqsReceiptHandles;
  private readonly queues: SqsQueueAdmin;

  /**
   * Throws `MessageBusConfigurationError` naming the setting when an option is wrong, and
   * `MissingOptionalPackageError` when `@aws-sdk/client-sqs` is not installed; sends nothing yet.
   */
  constructor(options: SqsClientOptions) {
    const config = resolveSqsClientConfig(options);
    this.queueUrl = config.queueUrl;
    // Loaded here, not imported: an app without SQS need not install the SDK.
    const api = loadSqsSdk();
    // A client passed in stays the caller's to destroy.
    this.session = new SqsSdkSession(
      config.queueUrl,
      options.client ?? new api.SQSClient(config.sdkConfig ?? {}),
      options.client === undefined,
      api,
    );
    const parseOptions = options.registry ? { registry: options.registry } : {};
    this.sender = new SqsSender(this.session, parseOptions);
    this.receiver = new SqsReceiver(this.session, parseOptions);
    this.receipts = new SqsReceiptHandles(this.session);
    this.queues = new SqsQueueAdmin(this.session);
  }

  /** The queue URL of a queue name (appended to `queueUrl`) or of a full queue URL (returned as is). */
  resolveQueueUrl(targetQueue: string): string {
    return this.session.queueUrlOf(targetQueue);
  }

  /**
   * Sends one message and returns its SQS MessageId. An envelope, given as a `MessageBusMessage`
   * or as a plain object with `meta_data` / `payload`, is validated first and sent as
   * `serialize()`; an invalid one throws `MessageValidationError` and nothing is sent.
   * Other plain objects are sent as JSON.
   */
  sendMessage(
    message: SqsOutgoingMessage,
    targetQueue: string,
    options: SqsSendOptions = {},
  ): Promise<string> {
    return this.sender.send(message, targetQueue, options);
  }

  /**
   * Sends a body exactly as given: not parsed, validated nor re-serialised, with message
   * attributes in the SDK's shape. For forwarding a received message byte for byte (to a
   * dead-letter queue, say); new messages go through `sendMessage`, which validates them.
   */
  sendRawMessage(
    body: string,
    targetQueue: string,
    options: SqsRawSendOptions = {},
  ): Promise<string> {
    return this.sender.sendRaw(body, targetQueue, options);
  }

  /**
   * Sends many messages with `SendMessageBatch`, in order, in requests of at most 10 entries
   * and 256 KiB. Entries that fail validation are not sent. Resolves when every entry was
   * accepted; otherwise throws `SqsBatchError` listing every entry's outcome by index, so the
   * caller can retry the failed ones. After a whole request fails, the later entries are not
   * attempted (`NotAttempted`), which keeps a FIFO group's order.
   */
  sendMessages(
    messages: readonly SqsOutgoingMessage[],
    targetQueue: string,
    options: SqsSendBatchOptions = {},
  ): Promise<SqsBatchResult<SqsSentMessage>> {
    return this.sender.sendMany(messages, targetQueue, options);
  }

  /**
   * Receives at most one message, or `null` when none arrived within the long-polling wait.
   * Failures (a missing queue, bad credentials) throw: an empty result always means an empty queue.
   */
  async receiveMessage<TPayload extends object = object>(
    targetQueue: string,
    options: SqsReceiveOptions = {},
  ): Promise<SqsReceivedMessage<TPayload> | null> {
    const [message] = await this.receiver.receive<TPayload>('ReceiveMessage', targetQueue, {
      ...options,
      maxMessages: 1,
    });
    return message ?? null;
  }

  /**
   * Receives up to `maxMessages` (default 10) messages, with every system attribute
   * (`ApproximateReceiveCount`, `SentTimestamp`, `MessageGroupId`, ...) and every message
   * attribute. An envelope that fails validation is still returned, with `validationError`,
   * so that the caller can dead-letter it. Aborting resolves with `[]`.
   */
  receiveMessages<TPayload extends object = object>(
    targetQueue: string,
    options: SqsReceiveManyOptions = {},
  ): Promise<SqsReceivedMessage<TPayload>[]> {
    return this.receiver.receive<TPayload>('ReceiveMessage', targetQueue, options);
  }

  /** Deletes one received message: the acknowledgement that it was handled. */
  deleteMessage(targetQueue: string, receiptHandle: string): Promise<void> {
    return this.receipts.delete(targetQueue, receiptHandle);
  }

  /**
   * Deletes many received messages with `DeleteMessageBatch`, 10 per request. Resolves when
   * all were deleted; otherwise throws `SqsBatchError` naming each failed index.
   */
  deleteMessages(targetQueue: string, receiptHandles: readonly string[]): Promise<SqsBatchResult> {
    return this.receipts.deleteMany(targetQueue, receiptHandles);
  }

  /**
   * Hides a received message for `visibilityTimeout` more seconds from now (0 makes it visible
   * again at once): how a consumer extends work in progress, or schedules a retry.
   */
  changeMessageVisibility(
    targetQueue: string,
    receiptHandle: string,
    visibilityTimeout: number,
  ): Promise<void> {
    return this.receipts.changeVisibility(targetQueue, receiptHandle, visibilityTimeout);
  }

  /** `changeMessageVisibility` for many messages, 10 per request, with per-entry failures as in `deleteMessages`. */
  changeMessageVisibilityBatch(
    targetQueue: string,
    changes: readonly SqsVisibilityChange[],
  ): Promise<SqsBatchResult> {
    return this.receipts.changeVisibilityMany(targetQueue, changes);
  }

  /**
   * Creates a queue (or returns the URL of an identical existing one) and returns its URL.
   * A `.fifo` name gets `FifoQueue: 'true'`, which SQS otherwise demands separately.
   */
  createQueue(name: string, attributes: Readonly<Record<string, string>> = {}): Promise<string> {
    return this.queues.create(name, attributes);
  }

  /** Asks SQS for a queue's URL by name; throws `SqsQueueDoesNotExistError` when there is none. */
  getQueueUrl(name: string): Promise<string> {
    return this.queues.urlOf(name);
  }

  /** A queue's attributes (all of them by default), e.g. `ApproximateNumberOfMessages`, `VisibilityTimeout`. */
  getQueueAttributes(
    targetQueue: string,
    attributeNames: readonly string[] = ['All'],
  ): Promise<Record<string, string>> {
    return this.queues.attributesOf(targetQueue, attributeNames);
  }

  /**
   * Resolves the credentials the SDK client will sign with, once; throws
   * `SqsCredentialsMissingError` (a configuration error naming what to set) when there are
   * none. The SQS consumers call it before they start, so that missing credentials stop the
   * app's start-up with one sentence instead of failing every receive.
   */
  checkCredentials(): Promise<void> {
    return this.session.checkCredentials();
  }

  /** Deletes a queue and every message in it. */
  deleteQueue(targetQueue: string): Promise<void> {
    return this.queues.delete(targetQueue);
  }

  /**
   * Releases the SDK client's sockets, when this client built it. Safe to call more than once;
   * any later call throws `SqsClientClosedError`. Abort long polls first: closing does not wait for them.
   */
  async close(): Promise<void> {
    this.session.close();
  }
}
