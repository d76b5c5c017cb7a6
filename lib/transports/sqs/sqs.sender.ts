import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { MessageValidationError } from '../../errors/message-validation.error';
import type { MessageParseOptions } from '../../message/message-bus-message';
import { SqsInvalidArgumentError } from './errors/sqs-invalid-argument.error';
import type { SqsBatchFailure, SqsBatchResult, SqsSentMessage } from './sqs-batch-result.interface';
import { runSqsBatches } from './sqs-batch.runner';
import { chunkBatch, sqsMessageSize } from './sqs-batching';
import { checkSendOptions } from './sqs-call-checks';
import { toSqsOperationError } from './sqs-error-mapping';
import { toSqsOutgoingBody, type SqsOutgoingMessage } from './sqs-message-body';
import { isFifoQueueUrl } from './sqs-queue-address';
import type { SqsSdkSession } from './sqs-sdk-session';
import type {
  SqsRawSendOptions,
  SqsSendBatchOptions,
  SqsSendOptions,
} from './sqs-send-options.interface';

interface PreparedSend {
  readonly index: number;
  readonly body: string;
  readonly deduplicationId?: string;
}

/**
 * The send path of `SqsClient`: envelopes validated and sent byte for byte as the Python
 * client does, raw bodies forwarded as they are, and batches split into requests SQS accepts.
 */
export class SqsSender {
  constructor(
    private readonly session: SqsSdkSession,
    private readonly parseOptions: MessageParseOptions,
  ) {}

  async send(
    message: SqsOutgoingMessage,
    targetQueue: string,
    options: SqsSendOptions,
  ): Promise<string> {
    this.session.assertOpen('SendMessage');
    const queueUrl = this.session.queueUrlOf(targetQueue);
    const fifo = isFifoQueueUrl(queueUrl);
    checkSendOptions(options, queueUrl, fifo);
    const { body, idempotencyKey } = toSqsOutgoingBody(message, this.parseOptions);
    const output = await this.session.call('SendMessage', queueUrl, (sdk) =>
      sdk.send(
        new this.session.api.SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          ...sendParameters(options, fifo, options.deduplicationId ?? idempotencyKey),
        }),
      ),
    );
    return messageIdOf(output, queueUrl);
  }

  async sendRaw(body: string, targetQueue: string, options: SqsRawSendOptions): Promise<string> {
    this.session.assertOpen('SendMessage');
    const queueUrl = this.session.queueUrlOf(targetQueue);
    const fifo = isFifoQueueUrl(queueUrl);
    if (typeof body !== 'string') {
      throw new SqsInvalidArgumentError('body', 'must be a string: sendRawMessage sends it as is');
    }
    const { messageAttributes, ...sendOptions } = options;
    checkSendOptions(sendOptions, queueUrl, fifo);
    const output = await this.session.call('SendMessage', queueUrl, (sdk) =>
      sdk.send(
        new this.session.api.SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: body,
          ...sendParameters(sendOptions, fifo, sendOptions.deduplicationId),
          ...(messageAttributes && Object.keys(messageAttributes).length > 0
            ? { MessageAttributes: { ...messageAttributes } }
            : {}),
        }),
      ),
    );
    return messageIdOf(output, queueUrl);
  }

  async sendMany(
    messages: readonly SqsOutgoingMessage[],
    targetQueue: string,
    options: SqsSendBatchOptions,
  ): Promise<SqsBatchResult<SqsSentMessage>> {
    this.session.assertOpen('SendMessageBatch');
    const queueUrl = this.session.queueUrlOf(targetQueue);
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
    return runSqsBatches<PreparedSend, SqsSentMessage>(this.session, {
      operation: 'SendMessageBatch',
      queueUrl,
      chunks: chunkBatch(prepared, (entry) => sqsMessageSize(entry.body, attributes)),
      rejected,
      send: (sdk, chunk) =>
        sdk.send(
          new this.session.api.SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((entry) => ({
              Id: String(entry.index),
              MessageBody: entry.body,
              ...sendParameters(options, fifo, entry.deduplicationId),
            })),
          }),
        ),
      toSuccess: (index, success) => ({
        index,
        messageId: success.MessageId ?? '',
        ...(success.SequenceNumber ? { sequenceNumber: success.SequenceNumber } : {}),
      }),
    });
  }
}

function messageIdOf(output: { MessageId?: string }, queueUrl: string): string {
  if (!output.MessageId) {
    throw toSqsOperationError(
      'SendMessage',
      queueUrl,
      new Error('SQS answered without a MessageId'),
    );
  }
  return output.MessageId;
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
