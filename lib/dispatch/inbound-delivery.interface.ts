import type { TransportName } from '../interfaces/transport-name';

/** One received message, before parsing, with the transport facts a handler may need. */
export interface InboundDelivery {
  readonly transport: TransportName;
  /** Queue name or topic. */
  readonly source: string;
  readonly body: string | Uint8Array;
  /** 1-based delivery count (SQS ApproximateReceiveCount, Kafka in-process attempts). */
  readonly attempt: number;
  readonly messageId?: string;
  readonly receiptHandle?: string;
  readonly partition?: number;
  readonly offset?: string;
  readonly key?: string;
  readonly headers?: Readonly<Record<string, string>>;
}
