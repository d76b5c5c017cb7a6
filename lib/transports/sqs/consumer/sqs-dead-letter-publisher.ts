import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { isFifoQueueUrl, queueNameOf } from '../sqs-queue-address';
import type { SqsMessageAttribute } from '../sqs-received-message.interface';
import type { SqsClient } from '../sqs.client';
import {
  SQS_DEAD_LETTER_ATTRIBUTES,
  SQS_DEAD_LETTER_REASON_MAX_LENGTH,
} from './sqs-consumer.constants';

/** A message that will not be processed, and why. */
export interface SqsDeadLetter {
  /** The body exactly as received. */
  readonly rawBody: string;
  /** `describeFailure(outcome)`: the reason and the error's message, never field values. */
  readonly reason: string;
  /** The queue it came from, as configured. */
  readonly sourceQueue: string;
  readonly attempts: number;
  readonly originalMessageId: string;
  /** FIFO source: the message group, kept on a FIFO dead-letter queue. */
  readonly messageGroupId?: string;
  /** The original message attributes; kept where SQS's limit of 10 leaves room. */
  readonly messageAttributes?: Readonly<Record<string, SqsMessageAttribute>>;
}

/** SQS allows at most this many message attributes on one message. */
const MAX_ATTRIBUTES = 10;

/**
 * Sends messages that will not be processed to the dead-letter queue: the original body
 * unchanged, the reason and origin in `bus-*` message attributes. On a FIFO dead-letter
 * queue the original group is kept and the original message id deduplicates, so a dead
 * letter sent twice (its delete failed, it came back) is stored once.
 */
export class SqsDeadLetterPublisher {
  readonly queueUrl: string;
  private readonly fifo: boolean;

  constructor(
    private readonly client: SqsClient,
    readonly deadLetterQueue: string,
  ) {
    this.queueUrl = client.resolveQueueUrl(deadLetterQueue);
    this.fifo = isFifoQueueUrl(this.queueUrl);
  }

  /** The dead-letter queue's name, for logs. */
  get name(): string {
    return queueNameOf(this.queueUrl);
  }

  /** Resolves with the dead letter's MessageId; throws SqsOperationError when SQS refused it. */
  publish(letter: SqsDeadLetter, failedAt = new Date()): Promise<string> {
    return this.client.sendRawMessage(letter.rawBody, this.queueUrl, {
      messageAttributes: deadLetterAttributes(letter, failedAt),
      ...(this.fifo
        ? {
            messageGroupId: letter.messageGroupId ?? queueNameOf(letter.sourceQueue),
            deduplicationId: letter.originalMessageId,
          }
        : {}),
    });
  }
}

/** The dead letter's message attributes: the `bus-*` reason first, then originals while they fit. */
export function deadLetterAttributes(
  letter: SqsDeadLetter,
  failedAt: Date,
): Record<string, MessageAttributeValue> {
  const names = SQS_DEAD_LETTER_ATTRIBUTES;
  const reason =
    letter.reason.length > SQS_DEAD_LETTER_REASON_MAX_LENGTH
      ? `${letter.reason.slice(0, SQS_DEAD_LETTER_REASON_MAX_LENGTH - 3)}...`
      : letter.reason;
  const attributes: Record<string, MessageAttributeValue> = {
    [names.reason]: text(reason || 'unknown'),
    [names.sourceQueue]: text(letter.sourceQueue),
    [names.attempts]: { DataType: 'Number', StringValue: String(letter.attempts) },
    [names.failedAt]: text(failedAt.toISOString()),
  };
  if (letter.originalMessageId)
    attributes[names.originalMessageId] = text(letter.originalMessageId);
  for (const [name, value] of Object.entries(letter.messageAttributes ?? {})) {
    if (Object.keys(attributes).length >= MAX_ATTRIBUTES) break;
    if (name in attributes || name.startsWith('bus-')) continue;
    attributes[name] = {
      DataType: value.dataType,
      ...(value.stringValue !== undefined ? { StringValue: value.stringValue } : {}),
      ...(value.binaryValue !== undefined ? { BinaryValue: value.binaryValue } : {}),
    };
  }
  return attributes;
}

function text(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value };
}
