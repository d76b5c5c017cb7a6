import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { boundFailureText, FAILURE_TEXT_MAX_BYTES } from '../../../errors/bounded-failure-text';
import { isFifoQueueUrl, queueNameOf } from '../sqs-queue-address';
import type { SqsMessageAttribute } from '../sqs-received-message.interface';
import type { SqsClient } from '../sqs.client';
import {
  SQS_DEAD_LETTER_ATTRIBUTES,
  SQS_DEFAULT_MAX_MESSAGE_BYTES,
  SQS_MIN_MAX_MESSAGE_BYTES,
} from './sqs-consumer.constants';

/** A message that will not be processed, and why. */
export interface SqsDeadLetter {
  /** The body exactly as received. */
  readonly rawBody: string;
  /** `describeFailure(outcome)`: the reason and the error's message, never field values. Bounded here. */
  readonly reason: string;
  /** The queue it came from, as configured. */
  readonly sourceQueue: string;
  readonly attempts: number;
  readonly originalMessageId: string;
  /** FIFO source: the message group, kept on a FIFO dead-letter queue. */
  readonly messageGroupId?: string;
  /** The original message attributes; kept where SQS's limits of 10 and of the size leave room. */
  readonly messageAttributes?: Readonly<Record<string, SqsMessageAttribute>>;
}

/** SQS allows at most this many message attributes on one message. */
const MAX_ATTRIBUTES = 10;
/** A reason cut shorter than this says too little to be worth its attribute's room. */
const MIN_REASON_BYTES = 32;

/**
 * Sends messages that will not be processed to the dead-letter queue: the original body
 * unchanged, the reason and origin in `bus-*` message attributes, trimmed so that body and
 * attributes together fit the queue's MaximumMessageSize. On a FIFO dead-letter queue the
 * original group is kept and the original message id deduplicates, so a dead letter sent twice
 * (its delete failed, it came back) is stored once.
 */
export class SqsDeadLetterPublisher {
  readonly queueUrl: string;
  private readonly fifo: boolean;
  private maxMessageBytes?: number;

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
  async publish(letter: SqsDeadLetter, failedAt = new Date()): Promise<string> {
    const budget = await this.attributeBudget(letter);
    try {
      return await this.client.sendRawMessage(letter.rawBody, this.queueUrl, {
        messageAttributes: deadLetterAttributes(letter, failedAt, budget),
        ...(this.fifo
          ? {
              messageGroupId: letter.messageGroupId ?? queueNameOf(letter.sourceQueue),
              deduplicationId: letter.originalMessageId,
            }
          : {}),
      });
    } catch (error) {
      // The queue may have been changed (or replaced): read its limit again next time.
      this.maxMessageBytes = undefined;
      throw error;
    }
  }

  /**
   * Bytes the attributes may take next to the body. The queue's limit is asked for only when
   * the dead letter could exceed the smallest one SQS allows; most are far below.
   */
  private async attributeBudget(letter: SqsDeadLetter): Promise<number> {
    const body = Buffer.byteLength(letter.rawBody, 'utf8');
    if (body + deadLetterAttributesBytes(letter) <= SQS_MIN_MAX_MESSAGE_BYTES) {
      return SQS_MIN_MAX_MESSAGE_BYTES - body;
    }
    this.maxMessageBytes ??= await this.client
      .getQueueAttributes(this.queueUrl, ['MaximumMessageSize'])
      .then((attributes) => Number(attributes.MaximumMessageSize))
      .then((bytes) => (Number.isInteger(bytes) && bytes > 0 ? bytes : undefined))
      .catch(() => undefined);
    return (this.maxMessageBytes ?? SQS_DEFAULT_MAX_MESSAGE_BYTES) - body;
  }
}

/**
 * The dead letter's message attributes, at most `budgetBytes` as SQS counts them (name, type
 * and value of each): the reason (bounded, then cut further if room is short), then the other
 * `bus-*` attributes, then the original attributes while they fit, at most 10 in all.
 */
export function deadLetterAttributes(
  letter: SqsDeadLetter,
  failedAt: Date,
  budgetBytes = Number.POSITIVE_INFINITY,
): Record<string, MessageAttributeValue> {
  const names = SQS_DEAD_LETTER_ATTRIBUTES;
  const origin: Array<[string, MessageAttributeValue]> = [
    [names.sourceQueue, text(letter.sourceQueue)],
    [names.attempts, { DataType: 'Number', StringValue: String(letter.attempts) }],
    [names.failedAt, text(failedAt.toISOString())],
  ];
  if (letter.originalMessageId)
    origin.push([names.originalMessageId, text(letter.originalMessageId)]);
  const originBytes = origin.reduce(
    (total, [name, value]) => total + attributeBytes(name, value),
    0,
  );

  const attributes: Record<string, MessageAttributeValue> = {};
  let left = budgetBytes;
  /** Adds it if it fits; the caller's order is the priority. */
  const add = (name: string, value: MessageAttributeValue): void => {
    const size = attributeBytes(name, value);
    if (size > left || Object.keys(attributes).length >= MAX_ATTRIBUTES) return;
    attributes[name] = value;
    left -= size;
  };

  // The reason first, bounded, and cut further to leave room for where the message came
  // from, unless that would leave too little of it to say anything.
  const reasonRoom = left - attributeBytes(names.reason, text(''));
  const besideOrigin = reasonRoom - originBytes;
  const room = besideOrigin >= MIN_REASON_BYTES ? besideOrigin : Math.max(0, reasonRoom);
  const reason = boundFailureText(
    letter.reason || 'unknown',
    Math.min(room, FAILURE_TEXT_MAX_BYTES),
  );
  if (reason !== '') add(names.reason, text(reason));
  for (const [name, value] of origin) add(name, value);
  for (const [name, value] of Object.entries(letter.messageAttributes ?? {})) {
    if (name in attributes || name.startsWith('bus-')) continue;
    if (Object.keys(attributes).length >= MAX_ATTRIBUTES) break;
    add(name, {
      DataType: value.dataType,
      ...(value.stringValue !== undefined ? { StringValue: value.stringValue } : {}),
      ...(value.binaryValue !== undefined ? { BinaryValue: value.binaryValue } : {}),
    });
  }
  return attributes;
}

/** The size of the `bus-*` attributes with the reason at its cap: enough to know whether a dead letter is small. */
function deadLetterAttributesBytes(letter: SqsDeadLetter): number {
  const attributes = deadLetterAttributes(letter, new Date(0));
  return Object.entries(attributes).reduce(
    (total, [name, value]) => total + attributeBytes(name, value),
    0,
  );
}

/** What SQS counts for one attribute against the message size: its name, type and value. */
export function attributeBytes(name: string, value: MessageAttributeValue): number {
  return (
    Buffer.byteLength(name, 'utf8') +
    Buffer.byteLength(value.DataType ?? '', 'utf8') +
    (value.StringValue !== undefined ? Buffer.byteLength(value.StringValue, 'utf8') : 0) +
    (value.BinaryValue !== undefined ? value.BinaryValue.length : 0)
  );
}

function text(value: string): MessageAttributeValue {
  return { DataType: 'String', StringValue: value };
}
