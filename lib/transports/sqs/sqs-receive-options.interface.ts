/** Options of `SqsClient.receiveMessage`. */
export interface SqsReceiveOptions {
  /** Long-polling wait, 0-20 seconds. Default 20 (see `SQS_DEFAULT_WAIT_TIME_SECONDS`). */
  waitTimeSeconds?: number;
  /** Seconds (0-43200) the received messages stay hidden from other receivers; the queue's own setting when unset. */
  visibilityTimeout?: number;
  /** Ends a long poll early: the call then resolves as empty (`null` / `[]`) instead of throwing. */
  abortSignal?: AbortSignal;
  /**
   * Parse and validate each body (default true). `false` leaves `body` the raw text and
   * `message` unset, for callers that validate later anyway, such as the consumer runtime.
   */
  decode?: boolean;
  /**
   * The system attributes (`ApproximateReceiveCount`, `MessageGroupId`, ...) and message
   * attributes to ask SQS for. Default `['All']` each; a caller that reads only a few asks for
   * those, so that SQS sends and the SDK parses less per message.
   */
  attributeNames?: SqsReceiveAttributeNames;
}

/** Which attributes a receive asks for, by their SQS names, or `['All']`. */
export interface SqsReceiveAttributeNames {
  readonly system: readonly string[];
  readonly message: readonly string[];
}

/** Options of `SqsClient.receiveMessages`. */
export interface SqsReceiveManyOptions extends SqsReceiveOptions {
  /** 1-10. Default 10, the most one request can return. */
  maxMessages?: number;
}
