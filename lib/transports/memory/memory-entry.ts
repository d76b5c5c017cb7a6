/** One message waiting in, or taken from, a consumer group's queue on the in-memory bus. */
export interface MemoryEntry {
  readonly messageId: string;
  readonly body: string;
  /** Kafka partition key. */
  readonly key?: string;
  /** SQS FIFO message group. */
  readonly groupId?: string;
  /** The publish's headers, delivered with it. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Deliveries so far; the next one is `attempt + 1`. */
  attempt: number;
}

/** The messages of one consumer group, shared by the consumers of that group. */
export interface MemoryGroupQueue {
  readonly ready: MemoryEntry[];
}
