import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
/** Options of `SqsClient.sendMessage` and `sendMessages`; in a batch they apply to every entry. */
export interface SqsSendOptions {
  /** Seconds (0-900) before the message becomes visible. Default 0. Not allowed on FIFO queues, whose delay is the queue's. */
  delaySeconds?: number;
  /** Required for `.fifo` queues: messages of one group are delivered in order. */
  messageGroupId?: string;
  /**
   * FIFO only: overrides the deduplication id, which is otherwise the envelope's
   * `meta_data.idempotency_key` (plain objects need this or content-based deduplication).
   */
  deduplicationId?: string;
  /** Sent as SQS `String` message attributes. */
  messageAttributes?: Readonly<Record<string, string>>;
}

/** Options of `SqsClient.sendRawMessage`: as for sendMessage, with attributes in the SDK's shape. */
export interface SqsRawSendOptions extends Omit<SqsSendOptions, 'messageAttributes'> {
  messageAttributes?: Readonly<Record<string, MessageAttributeValue>>;
}

/** Options of `sendMessages`: as `sendMessage`, less the deduplication id, which would merge the whole batch into one. */
export type SqsSendBatchOptions = Omit<SqsSendOptions, 'deduplicationId'>;
