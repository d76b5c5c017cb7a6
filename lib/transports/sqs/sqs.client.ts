import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
  type BatchResultErrorEntry,
  type Message,
  type MessageAttributeValue,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import { MessageValidationError } from '../../errors/message-validation.error';
import { SqsBatchError } from './errors/sqs-batch.error';
import { SqsClientClosedError } from './errors/sqs-client-closed.error';
import { SqsInvalidArgumentError } from './errors/sqs-invalid-argument.error';
import type { SqsOperationError } from './errors/sqs-operation.error';
import type { MessageParseOptions } from '../../message/message-bus-message';
import { chunkBatch, sqsMessageSize } from './sqs-batching';
import type {
  SqsBatchFailure,
  SqsBatchResult,
  SqsBatchSuccess,
  SqsSentMessage,
  SqsVisibilityChange,
} from './sqs-batch-result.interface';
import { resolveSqsClientConfig } from './sqs-client-config';
import type { SqsClientOptions } from './sqs-client-options.interface';
import { isAbortError, toSqsOperationError } from './sqs-error-mapping';
import {
  readSqsIncomingBody,
  toSqsOutgoingBody,
  type SqsOutgoingMessage,
} from './sqs-message-body';
import { assertQueueName, isFifoQueueUrl, resolveQueueUrl } from './sqs-queue-address';
import type { SqsReceiveManyOptions, SqsReceiveOptions } from './sqs-receive-options.interface';
import type {
  SqsMessageAttribute,
  SqsReceivedMessage,
  SqsSystemAttributes,
} from './sqs-received-message.interface';
import type { SqsRawSendOptions, SqsSendOptions } from './sqs-send-options.interface';
import {
  FIFO_SUFFIX,
  SQS_DEFAULT_WAIT_TIME_SECONDS,
  SQS_MAX_DELAY_SECONDS,
  SQS_MAX_RECEIVE_MESSAGES,
  SQS_MAX_VISIBILITY_TIMEOUT_SECONDS,
  SQS_MAX_WAIT_TIME_SECONDS,
} from './sqs.constants';

/** Options of `sendMessages`: as `sendMessage`, less the deduplication id, which would merge the whole batch into one. */
export type SqsSendBatchOptions = Omit<SqsSendOptions, 'deduplicationId'>;

/** SQS allows at most this many message attributes per message. */
const MAX_MESSAGE_ATTRIBUTES = 10;

interface PreparedSend {
  readonly index: number;
  readonly body: string;
  readonly deduplicationId?: string;
}

interface BatchResponse {
  readonly Successful?: ReadonlyArray<{ Id?: string; MessageId?: string; SequenceNumber?: string }>;
  readonly Failed?: readonly BatchResultErrorEntry[];
}

/**
 * The bus's SQS client: sends envelopes byte for byte as the Python client does, and
 * receives, deletes and re-times messages for the consumer runtime. One SDK client is
 * built once and reused by every call. Every failure is thrown as a typed error; batch
 * calls report each entry (see `SqsBatchError`).
 *
 * Free of Nest on purpose, so that it works on its own and as a provider.
 */
export class SqsClient {
  /** The base URL queue names are appended to, without trailing slashes. */
  readonly queueUrl: string;
  private readonly sdk: SQSClient;
  /** A client passed in stays the caller's to destroy. */
  private readonly ownsSdk: boolean;
  private readonly parseOptions: MessageParseOptions;
  private closed = false;

  constructor(options: SqsClientOptions) {
    const config = resolveSqsClientConfig(options);
    this.queueUrl = config.queueUrl;
    this.ownsSdk = options.client === undefined;
    this.sdk = options.client ?? new SQSClient(config.sdkConfig ?? {});
    this.parseOptions = options.registry ? { registry: options.registry } : {};
  }

  /** The queue URL of a queue name (appended to `queueUrl`) or of a full queue URL (returned as is). */
  resolveQueueUrl(targetQueue: string): string {
    return resolveQueueUrl(this.queueUrl, targetQueue);
  }

  /**
   * Sends one message and returns its SQS MessageId. An envelope, given as a `MessageBusMessage`
   * or as a plain object with `meta_data` / `payload`, is validated first and sent as
   * `serialize()`; an invalid one throws `MessageValidationError` and nothing is sent.
   * Other plain objects are sent as JSON.
   */
  async sendMessage(
    message: SqsOutgoingMessage,
    targetQueue: string,
    options: SqsSendOptions = {},
  ): Promise<string> {
    this.assertOpen('SendMessage');
    const queueUrl = this.resolveQueueUrl(targetQueue);
    const fifo = isFifoQueueUrl(queueUrl);
    checkSendOptions(options, queueUrl, fifo);
    const { body, idempotencyKey } = toSqsOutgoingBody(message, this.parseOptions);
    const output = await this.call('SendMessage', queueUrl, (sdk) =>
      sdk.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          ...sendParameters(options, fifo, options.deduplicationId ?? idempotencyKey),
        }),
      ),
    );
    if (!output.MessageId) {
      throw toSqsOperationError(
        'SendMessage',
        queueUrl,
        new Error('SQS answered without a MessageId'),
      );
    }
    return output.MessageId;
  }

  /**
   * Sends a body exactly as given: not parsed, validated nor re-serialised, with message
   * attributes in the SDK's shape. For forwarding a received message byte for byte (to a
   * dead-letter queue, say); new messages go through `sendMessage`, which validates them.
   */
  async sendRawMessage(
    body: string,
    targetQueue: string,
    options: SqsRawSendOptions = {},
  ): Promise<string> {
    this.assertOpen('SendMessage');
    const queueUrl = this.resolveQueueUrl(targetQueue);
    const fifo = isFifoQueueUrl(queueUrl);
    if (typeof body !== 'string') {
      throw new SqsInvalidArgumentError('body', 'must be a string: sendRawMessage sends it as is');
    }
    const { messageAttributes, ...sendOptions } = options;
    checkSendOptions(sendOptions, queueUrl, fifo);
    const output = await this.call('SendMessage', queueUrl, (sdk) =>
      sdk.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          ...sendParameters(sendOptions, fifo, sendOptions.deduplicationId),
          ...(messageAttributes && Object.keys(messageAttributes).length > 0
            ? { MessageAttributes: { ...messageAttributes } }
            : {}),
        }),
      ),
    );
    if (!output.MessageId) {
      throw toSqsOperationError(
        'SendMessage',
        queueUrl,
        new Error('SQS answered without a MessageId'),
      );
    }
    return output.MessageId;
  }

  /**
   * Sends many messages with `SendMessageBatch`, in order, in requests of at most 10 entries
   * and 256 KiB. Entries that fail validation are not sent. Resolves when every entry was
   * accepted; otherwise throws `SqsBatchError` listing every entry's outcome by index, so the
   * caller can retry the failed ones. After a whole request fails, the later entries are not
   * attempted (`NotAttempted`), which keeps a FIFO group's order.
   */
  async sendMessages(
    messages: readonly SqsOutgoingMessage[],
    targetQueue: string,
    options: SqsSendBatchOptions = {},
  ): Promise<SqsBatchResult<SqsSentMessage>> {
    this.assertOpen('SendMessageBatch');
    const queueUrl = this.resolveQueueUrl(targetQueue);
    const fifo = isFifoQueueUrl(queueUrl);
    if (!Array.isArray(messages)) throw new SqsInvalidArgumentError('messages', 'must be an array');
    if ((options as SqsSendOptions).deduplicationId !== undefined) {
      throw new SqsInvalidArgumentError(
        'options.deduplicationId',
        "is not supported by sendMessages: one id would deduplicate the whole batch into one message; use each envelope's idempotency key",
      );
    }
    checkSendOptions(options, queueUrl, fifo);

    const rejected: SqsBatchFailure[] = [];
    const prepared: PreparedSend[] = [];
    messages.forEach((message, index) => {
      try {
        const { body, idempotencyKey } = toSqsOutgoingBody(message, this.parseOptions);
        prepared.push({ index, body, deduplicationId: idempotencyKey });
      } catch (error) {
        if (!(error instanceof MessageValidationError)) throw error;
        rejected.push({ index, code: error.name, reason: error.message, senderFault: true, error });
      }
    });

    const attributes = options.messageAttributes ?? {};
    const chunks = chunkBatch(prepared, (entry) => sqsMessageSize(entry.body, attributes));
    return this.runBatches<PreparedSend, SqsSentMessage>(
      'SendMessageBatch',
      queueUrl,
      chunks,
      rejected,
      (sdk, chunk) =>
        sdk.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((entry) => ({
              Id: String(entry.index),
              MessageBody: entry.body,
              ...sendParameters(options, fifo, entry.deduplicationId),
            })),
          }),
        ),
      (index, success) => ({
        index,
        messageId: success.MessageId ?? '',
        ...(success.SequenceNumber ? { sequenceNumber: success.SequenceNumber } : {}),
      }),
    );
  }

  /**
   * Receives at most one message, or `null` when none arrived within the long-polling wait.
   * Failures (a missing queue, bad credentials) throw: an empty result always means an empty queue.
   */
  async receiveMessage<TPayload extends object = object>(
    targetQueue: string,
    options: SqsReceiveOptions = {},
  ): Promise<SqsReceivedMessage<TPayload> | null> {
    const [message] = await this.receive<TPayload>('ReceiveMessage', targetQueue, {
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
  async receiveMessages<TPayload extends object = object>(
    targetQueue: string,
    options: SqsReceiveManyOptions = {},
  ): Promise<SqsReceivedMessage<TPayload>[]> {
    return this.receive<TPayload>('ReceiveMessage', targetQueue, options);
  }

  /** Deletes one received message: the acknowledgement that it was handled. */
  async deleteMessage(targetQueue: string, receiptHandle: string): Promise<void> {
    this.assertOpen('DeleteMessage');
    const queueUrl = this.resolveQueueUrl(targetQueue);
    checkReceiptHandle(receiptHandle, 'receiptHandle');
    await this.call('DeleteMessage', queueUrl, (sdk) =>
      sdk.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle })),
    );
  }

  /**
   * Deletes many received messages with `DeleteMessageBatch`, 10 per request. Resolves when
   * all were deleted; otherwise throws `SqsBatchError` naming each failed index.
   */
  async deleteMessages(
    targetQueue: string,
    receiptHandles: readonly string[],
  ): Promise<SqsBatchResult> {
    this.assertOpen('DeleteMessageBatch');
    const queueUrl = this.resolveQueueUrl(targetQueue);
    if (!Array.isArray(receiptHandles))
      throw new SqsInvalidArgumentError('receiptHandles', 'must be an array');
    receiptHandles.forEach((handle, index) =>
      checkReceiptHandle(handle, `receiptHandles[${index}]`),
    );
    const entries = receiptHandles.map((receiptHandle, index) => ({ index, receiptHandle }));
    return this.runBatches(
      'DeleteMessageBatch',
      queueUrl,
      chunkBatch(entries, () => 0),
      [],
      (sdk, chunk) =>
        sdk.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((entry) => ({
              Id: String(entry.index),
              ReceiptHandle: entry.receiptHandle,
            })),
          }),
        ),
      (index) => ({ index }),
    );
  }

  /**
   * Hides a received message for `visibilityTimeout` more seconds from now (0 makes it visible
   * again at once): how a consumer extends work in progress, or schedules a retry.
   */
  async changeMessageVisibility(
    targetQueue: string,
    receiptHandle: string,
    visibilityTimeout: number,
  ): Promise<void> {
    this.assertOpen('ChangeMessageVisibility');
    const queueUrl = this.resolveQueueUrl(targetQueue);
    checkReceiptHandle(receiptHandle, 'receiptHandle');
    checkWholeNumber(visibilityTimeout, 'visibilityTimeout', 0, SQS_MAX_VISIBILITY_TIMEOUT_SECONDS);
    await this.call('ChangeMessageVisibility', queueUrl, (sdk) =>
      sdk.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: visibilityTimeout,
        }),
      ),
    );
  }

  /** `changeMessageVisibility` for many messages, 10 per request, with per-entry failures as in `deleteMessages`. */
  async changeMessageVisibilityBatch(
    targetQueue: string,
    changes: readonly SqsVisibilityChange[],
  ): Promise<SqsBatchResult> {
    this.assertOpen('ChangeMessageVisibilityBatch');
    const queueUrl = this.resolveQueueUrl(targetQueue);
    if (!Array.isArray(changes)) throw new SqsInvalidArgumentError('changes', 'must be an array');
    changes.forEach((change, index) => {
      checkReceiptHandle(change?.receiptHandle, `changes[${index}].receiptHandle`);
      checkWholeNumber(
        change.visibilityTimeout,
        `changes[${index}].visibilityTimeout`,
        0,
        SQS_MAX_VISIBILITY_TIMEOUT_SECONDS,
      );
    });
    const entries = changes.map((change, index) => ({ index, ...change }));
    return this.runBatches(
      'ChangeMessageVisibilityBatch',
      queueUrl,
      chunkBatch(entries, () => 0),
      [],
      (sdk, chunk) =>
        sdk.send(
          new ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((entry) => ({
              Id: String(entry.index),
              ReceiptHandle: entry.receiptHandle,
              VisibilityTimeout: entry.visibilityTimeout,
            })),
          }),
        ),
      (index) => ({ index }),
    );
  }

  /**
   * Creates a queue (or returns the URL of an identical existing one) and returns its URL.
   * A `.fifo` name gets `FifoQueue: 'true'`, which SQS otherwise demands separately.
   */
  async createQueue(
    name: string,
    attributes: Readonly<Record<string, string>> = {},
  ): Promise<string> {
    this.assertOpen('CreateQueue');
    assertQueueName(name, 'name');
    const queueAttributes: Record<string, string> = { ...attributes };
    if (name.endsWith(FIFO_SUFFIX) && queueAttributes.FifoQueue === undefined)
      queueAttributes.FifoQueue = 'true';
    const output = await this.call('CreateQueue', name, (sdk) =>
      sdk.send(
        new CreateQueueCommand({
          QueueName: name,
          ...(Object.keys(queueAttributes).length > 0 ? { Attributes: queueAttributes } : {}),
        }),
      ),
    );
    return output.QueueUrl ?? this.resolveQueueUrl(name);
  }

  /** Asks SQS for a queue's URL by name; throws `SqsQueueDoesNotExistError` when there is none. */
  async getQueueUrl(name: string): Promise<string> {
    this.assertOpen('GetQueueUrl');
    assertQueueName(name, 'name');
    const output = await this.call('GetQueueUrl', name, (sdk) =>
      sdk.send(new GetQueueUrlCommand({ QueueName: name })),
    );
    if (!output.QueueUrl)
      throw toSqsOperationError('GetQueueUrl', name, new Error('SQS answered without a QueueUrl'));
    return output.QueueUrl;
  }

  /** A queue's attributes (all of them by default), e.g. `ApproximateNumberOfMessages`, `VisibilityTimeout`. */
  async getQueueAttributes(
    targetQueue: string,
    attributeNames: readonly string[] = ['All'],
  ): Promise<Record<string, string>> {
    this.assertOpen('GetQueueAttributes');
    const queueUrl = this.resolveQueueUrl(targetQueue);
    const output = await this.call('GetQueueAttributes', queueUrl, (sdk) =>
      sdk.send(
        new GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: [...attributeNames] as QueueAttributeName[],
        }),
      ),
    );
    return { ...(output.Attributes ?? {}) };
  }

  /** Deletes a queue and every message in it. */
  async deleteQueue(targetQueue: string): Promise<void> {
    this.assertOpen('DeleteQueue');
    const queueUrl = this.resolveQueueUrl(targetQueue);
    await this.call('DeleteQueue', queueUrl, (sdk) =>
      sdk.send(new DeleteQueueCommand({ QueueUrl: queueUrl })),
    );
  }

  /**
   * Releases the SDK client's sockets, when this client built it. Safe to call more than once;
   * any later call throws `SqsClientClosedError`. Abort long polls first: closing does not wait for them.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsSdk) this.sdk.destroy();
  }

  private async receive<TPayload extends object>(
    operation: string,
    targetQueue: string,
    options: SqsReceiveManyOptions,
  ): Promise<SqsReceivedMessage<TPayload>[]> {
    this.assertOpen(operation);
    const queueUrl = this.resolveQueueUrl(targetQueue);
    const maxMessages = options.maxMessages ?? SQS_MAX_RECEIVE_MESSAGES;
    const waitTimeSeconds = options.waitTimeSeconds ?? SQS_DEFAULT_WAIT_TIME_SECONDS;
    checkWholeNumber(maxMessages, 'options.maxMessages', 1, SQS_MAX_RECEIVE_MESSAGES);
    checkWholeNumber(waitTimeSeconds, 'options.waitTimeSeconds', 0, SQS_MAX_WAIT_TIME_SECONDS);
    if (options.visibilityTimeout !== undefined) {
      checkWholeNumber(
        options.visibilityTimeout,
        'options.visibilityTimeout',
        0,
        SQS_MAX_VISIBILITY_TIMEOUT_SECONDS,
      );
    }
    const { abortSignal } = options;
    if (abortSignal?.aborted) return [];

    let messages: Message[];
    try {
      const output = await this.call(operation, queueUrl, (sdk) =>
        sdk.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: maxMessages,
            WaitTimeSeconds: waitTimeSeconds,
            // Unset means the queue's own timeout: a receive must never make messages visible to others at once.
            ...(options.visibilityTimeout !== undefined
              ? { VisibilityTimeout: options.visibilityTimeout }
              : {}),
            MessageSystemAttributeNames: ['All'],
            MessageAttributeNames: ['All'],
          }),
          abortSignal ? { abortSignal } : {},
        ),
      );
      messages = output.Messages ?? [];
    } catch (error) {
      if (abortSignal?.aborted && isAbortError((error as SqsOperationError).cause)) return [];
      throw error;
    }
    const decode = options.decode ?? true;
    return messages.map((message) => this.toReceivedMessage<TPayload>(message, decode));
  }

  private toReceivedMessage<TPayload extends object>(
    message: Message,
    decode: boolean,
  ): SqsReceivedMessage<TPayload> {
    const rawBody = message.Body ?? '';
    const attributes: SqsSystemAttributes = { ...(message.Attributes ?? {}) };
    const receiveCount = Number(attributes.ApproximateReceiveCount);
    return {
      receiptHandle: message.ReceiptHandle ?? '',
      messageId: message.MessageId ?? '',
      rawBody,
      ...(decode ? readSqsIncomingBody<TPayload>(rawBody, this.parseOptions) : { body: rawBody }),
      // SQS always sends it when asked; 1 (a first delivery) if an emulator does not.
      receiveCount: Number.isInteger(receiveCount) && receiveCount > 0 ? receiveCount : 1,
      attributes,
      messageAttributes: toMessageAttributes(message.MessageAttributes),
    };
  }

  /**
   * Runs prepared batches one request after another, collecting every entry's outcome.
   * A failed request marks its entries and every later one failed, and stops.
   */
  private async runBatches<TEntry extends { index: number }, TSuccess extends SqsBatchSuccess>(
    operation: string,
    queueUrl: string,
    chunks: readonly TEntry[][],
    rejected: readonly SqsBatchFailure[],
    send: (sdk: SQSClient, chunk: TEntry[]) => Promise<BatchResponse>,
    toSuccess: (
      index: number,
      success: { MessageId?: string; SequenceNumber?: string },
    ) => TSuccess,
  ): Promise<SqsBatchResult<TSuccess>> {
    const successful: TSuccess[] = [];
    const failed: SqsBatchFailure[] = [...rejected];
    let requestError: SqsOperationError | undefined;

    for (const chunk of chunks) {
      if (requestError) {
        for (const entry of chunk) {
          failed.push({
            index: entry.index,
            code: 'NotAttempted',
            reason: `not attempted: an earlier ${operation} request failed with ${requestError.code}`,
            senderFault: false,
          });
        }
        continue;
      }
      let response: BatchResponse;
      try {
        response = await this.call(operation, queueUrl, (sdk) => send(sdk, chunk));
      } catch (error) {
        requestError = error as SqsOperationError;
        for (const entry of chunk) {
          failed.push({
            index: entry.index,
            code: requestError.code,
            reason: requestError.message,
            senderFault: requestError.senderFault ?? false,
            error: requestError,
          });
        }
        continue;
      }
      const answered = new Set<number>();
      for (const success of response.Successful ?? []) {
        const index = Number(success.Id);
        answered.add(index);
        successful.push(toSuccess(index, success));
      }
      for (const failure of response.Failed ?? []) {
        const index = Number(failure.Id);
        answered.add(index);
        failed.push({
          index,
          code: failure.Code ?? 'UnknownError',
          reason: failure.Message ?? failure.Code ?? 'SQS gave no reason',
          senderFault: failure.SenderFault ?? false,
        });
      }
      for (const entry of chunk) {
        if (answered.has(entry.index)) continue;
        // Never assume success for an entry SQS did not mention.
        failed.push({
          index: entry.index,
          code: 'MissingFromResponse',
          reason: `SQS ${operation} answered without a result for this entry`,
          senderFault: false,
        });
      }
    }

    successful.sort((a, b) => a.index - b.index);
    failed.sort((a, b) => a.index - b.index);
    if (failed.length > 0) {
      throw new SqsBatchError<TSuccess>(
        operation,
        queueUrl,
        successful,
        failed,
        requestError ? { cause: requestError } : undefined,
      );
    }
    return { successful, failed };
  }

  /** Runs one SDK call, turning any failure into an `SqsOperationError` that names the operation and queue. */
  private async call<T>(
    operation: string,
    queue: string,
    run: (sdk: SQSClient) => Promise<T>,
  ): Promise<T> {
    this.assertOpen(operation);
    try {
      return await run(this.sdk);
    } catch (error) {
      throw toSqsOperationError(operation, queue, error);
    }
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw new SqsClientClosedError(operation);
  }
}

/** Checks what SQS would refuse anyway, before a request is made. */
function checkSendOptions(options: SqsSendOptions, queueUrl: string, fifo: boolean): void {
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
      if (!isNonBlank(value)) {
        throw new SqsInvalidArgumentError(
          `options.messageAttributes.${name}`,
          'must be a non-empty string: SQS refuses empty attribute values',
        );
      }
    }
  }
}

/** The per-message parameters of `SendMessage` and of each `SendMessageBatch` entry. */
function sendParameters(
  options: SqsSendBatchOptions,
  fifo: boolean,
  deduplicationId: string | undefined,
) {
  const messageAttributes: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(options.messageAttributes ?? {})) {
    messageAttributes[name] = { DataType: 'String', StringValue: value };
  }
  return {
    // SQS refuses per-message delays on FIFO queues, even a delay of 0.
    ...(fifo ? {} : { DelaySeconds: options.delaySeconds ?? 0 }),
    ...(options.messageGroupId !== undefined ? { MessageGroupId: options.messageGroupId } : {}),
    ...(fifo && deduplicationId !== undefined ? { MessageDeduplicationId: deduplicationId } : {}),
    ...(Object.keys(messageAttributes).length > 0 ? { MessageAttributes: messageAttributes } : {}),
  };
}

function toMessageAttributes(
  attributes: Record<string, MessageAttributeValue> | undefined,
): Record<string, SqsMessageAttribute> {
  const result: Record<string, SqsMessageAttribute> = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    result[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
    };
  }
  return result;
}

function checkWholeNumber(value: unknown, argument: string, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SqsInvalidArgumentError(
      argument,
      `must be a whole number from ${min} to ${max}, got ${String(value)}`,
    );
  }
}

function checkReceiptHandle(value: unknown, argument: string): void {
  if (!isNonBlank(value)) {
    throw new SqsInvalidArgumentError(
      argument,
      'must be the non-empty receipt handle of a received message',
    );
  }
}

function isNonBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}
