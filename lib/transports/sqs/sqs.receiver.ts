import type {
  Message,
  MessageAttributeValue,
  MessageSystemAttributeName,
} from '@aws-sdk/client-sqs';
import type { MessageParseOptions } from '../../message/message-bus-message';
import { checkWholeNumber } from './sqs-call-checks';
import { unlessAborted } from '../unless-aborted';
import { readSqsIncomingBody } from './sqs-message-body';
import type { SqsReceiveManyOptions } from './sqs-receive-options.interface';
import type {
  SqsMessageAttribute,
  SqsReceivedMessage,
  SqsSystemAttributes,
} from './sqs-received-message.interface';
import type { SqsSdkSession } from './sqs-sdk-session';
import {
  SQS_DEFAULT_WAIT_TIME_SECONDS,
  SQS_MAX_RECEIVE_MESSAGES,
  SQS_MAX_VISIBILITY_TIMEOUT_SECONDS,
  SQS_MAX_WAIT_TIME_SECONDS,
} from './sqs.constants';

const ALL: readonly string[] = ['All'];

/**
 * The receive path of `SqsClient`: long polls with every system and message attribute (or
 * the ones the caller names),
 * and turns each SDK message into an `SqsReceivedMessage` with its body read (and, for an
 * envelope, validated). Aborting a poll resolves with `[]` at once.
 */
export class SqsReceiver {
  constructor(
    private readonly session: SqsSdkSession,
    private readonly parseOptions: MessageParseOptions,
  ) {}

  async receive<TPayload extends object>(
    operation: string,
    targetQueue: string,
    options: SqsReceiveManyOptions,
  ): Promise<SqsReceivedMessage<TPayload>[]> {
    this.session.assertOpen(operation);
    const queueUrl = this.session.queueUrlOf(targetQueue);
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

    const answered = this.session.call(operation, queueUrl, (sdk) =>
      // No per-request options: one would make the SDK resolve its middleware again for every
      // call (and drop the cache `cacheMiddleware` keeps): a fifth of a request's CPU time.
      sdk.send(
        new this.session.api.ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: maxMessages,
          WaitTimeSeconds: waitTimeSeconds,
          // Unset means the queue's own timeout: a receive must never make messages visible to others at once.
          ...(options.visibilityTimeout !== undefined
            ? { VisibilityTimeout: options.visibilityTimeout }
            : {}),
          MessageSystemAttributeNames: [
            ...(options.attributeNames?.system ?? ALL),
          ] as MessageSystemAttributeName[],
          MessageAttributeNames: [...(options.attributeNames?.message ?? ALL)],
        }),
      ),
    );
    // The request runs on until SQS answers (within its wait time), as an aborted long poll
    // does on SQS's side anyway; its late answer is dropped.
    const output = abortSignal ? await unlessAborted(answered, abortSignal) : await answered;
    if (output === undefined) return [];
    const messages: Message[] = output.Messages ?? [];
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
