import type { DispatchOutcome } from '../dispatch/delivery-outcome';
import type { MessageBusMessage } from '../message/message-bus-message';
import type { InboundDelivery } from '../dispatch/inbound-delivery.interface';
import type { TransportName } from '../interfaces/transport-name';

export interface PublishOptions {
  /** Kafka: partition key (same key, same partition, same order). */
  key?: string;
  /** SQS FIFO: message group (per-group order). */
  messageGroupId?: string;
  /** SQS: delay before the message becomes visible, 0–900 s. */
  delaySeconds?: number;
  /**
   * Sent beside the body, which they never change: Kafka record headers, SQS `String` message
   * attributes (at most 10, names as SQS allows them). Trace context (`traceparent`,
   * `tracestate`) is added here when tracing is on.
   */
  headers?: Readonly<Record<string, string>>;
}

export interface PublishReceipt {
  readonly transport: TransportName;
  readonly destination: string;
  readonly messageId?: string;
  readonly partition?: number;
  readonly offset?: string;
}

/**
 * Called once per delivery; the returned outcome decides ack, retry or dead letter. It comes
 * back as it is when the pipeline answered at once, else as a promise: consumers await only a
 * thenable, so that a delivery whose handlers are synchronous costs no microtask.
 */
export type DeliveryHandler = (
  delivery: InboundDelivery,
) => DispatchOutcome | PromiseLike<DispatchOutcome>;

/**
 * `paused`: connected (Kafka: still in its group, heartbeating, partitions kept) but fetching
 * nothing until `resume()`. `stopped`: not consuming at all, also before an `autoStart: false`
 * consumer is started.
 */
export type ConsumerState =
  'starting' | 'running' | 'paused' | 'reconnecting' | 'stopping' | 'stopped' | 'failed';

export interface ConsumerStatus {
  readonly name: string;
  readonly state: ConsumerState;
  readonly inFlight: number;
  readonly handled: number;
  readonly retried: number;
  readonly deadLettered: number;
  /**
   * Messages given up on whose dead letter the broker refused for good (not authorised, topic
   * missing, too large even truncated): moved past, each logged at ERROR with its coordinates.
   * Absent while there are none.
   */
  readonly deadLetterFailures?: number;
  /**
   * Deliveries refused because their service token failed verification (`verifyToken`, reason
   * `unauthenticated`): dead-lettered, so also counted in `deadLettered`. Absent while there are none.
   */
  readonly unauthenticated?: number;
  /**
   * Deliveries acknowledged without running a handler because every handler's idempotency key
   * was already completed (`idempotency`). Absent while there are none.
   */
  readonly duplicate?: number;
  /** Why the consumer is failed or reconnecting. */
  readonly lastError?: string;
}

/** A consumer started by a transport. */
export interface RunningConsumer {
  readonly name: string;
  status(): ConsumerStatus;
  /**
   * Stops fetching, waits up to `timeoutMs` for running handlers, acknowledges what finished,
   * and leaves the rest unacknowledged for redelivery.
   */
  stop(timeoutMs: number): Promise<void>;
  /**
   * Stops fetching without leaving the broker: resolves once the handlers running now have
   * finished and settled. What was fetched and not started goes back unhandled (SQS: visible
   * again; Kafka: uncommitted, fetched again after `resume()`). A no-op once stopping.
   */
  pause(): Promise<void>;
  /** Fetches again after `pause()`; a no-op when not paused. */
  resume(): Promise<void>;
}

/** What every bus offers the module: publish, consume, close. */
export interface MessageTransport<TSubscription = unknown> {
  readonly name: TransportName;
  publish(
    message: MessageBusMessage,
    destination: string,
    options?: PublishOptions,
  ): Promise<PublishReceipt>;
  consume(subscription: TSubscription, handler: DeliveryHandler): Promise<RunningConsumer>;
  close(): Promise<void>;
}
