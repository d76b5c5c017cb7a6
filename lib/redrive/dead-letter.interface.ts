/** Where a dead letter sits in its dead-letter queue or topic. */
export interface DeadLetterPosition {
  /** SQS: the dead letter's MessageId. Kafka: `partition:offset` in the dead-letter topic. */
  readonly id: string;
  /** Kafka only. */
  readonly partition?: number;
  /** Kafka only. */
  readonly offset?: string;
}

/** One dead letter as the redrive tools see it: why it was given up on, from where, how old. */
export interface DeadLetter extends DeadLetterPosition {
  /** `bus-reason`: the rejection reason or `handler-error`, and the error's message. */
  readonly reason?: string;
  /** The queue or topic it was dead-lettered from (`bus-source-queue` / `bus-original-topic`). */
  readonly origin?: string;
  /** `meta_data.instruction_type`, else `meta_data.event`, when the body is an envelope. */
  readonly messageType?: string;
  /** `bus-failed-at`, else when the dead letter was written. */
  readonly failedAt?: Date;
  /** Milliseconds since `failedAt` when it was read. */
  readonly ageMs?: number;
  /** Every `bus-*` attribute or header, as text. */
  readonly busHeaders: Readonly<Record<string, string>>;
  /** Kafka: the dead letter's value was cut to fit (`bus-truncated`); it cannot be redriven. */
  readonly truncated: boolean;
  /** The body's size in bytes (its content is never logged). */
  readonly bodyBytes: number;
}
