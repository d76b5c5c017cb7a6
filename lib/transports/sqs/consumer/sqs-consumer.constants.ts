import type { SqsReceiveAttributeNames } from '../sqs-receive-options.interface';

/** How SqsConsumer paces its SQS calls. Not options: the defaults suit every queue we run. */

/**
 * What every receive of a consumer asks SQS for, and all the runtime reads: the attempt
 * (`ApproximateReceiveCount`), a FIFO message's group and order (`MessageGroupId`,
 * `SequenceNumber`), and every message attribute (they become the delivery's `headers`, and a
 * dead letter keeps the original's). Leaving out the other system attributes spares SQS and
 * the SDK their text on every message. A stage that reads another attribute adds it here.
 */
export const SQS_CONSUMER_RECEIVE_ATTRIBUTES: SqsReceiveAttributeNames = Object.freeze({
  system: Object.freeze(['ApproximateReceiveCount', 'MessageGroupId', 'SequenceNumber']),
  message: Object.freeze(['All']),
});

/** A delete or visibility batch is sent at 10 entries, or this long after its first entry. */
export const SQS_BATCH_FLUSH_DELAY_MS = 5;

/**
 * A held message's visibility is extended once this share of its timeout has gone by, so
 * an extension that is slow or must be retried still lands before the message reappears.
 */
export const SQS_HEARTBEAT_SHARE = 0.5;

/** Receive failures back off from this delay, doubling up to the cap, with jitter. */
export const SQS_RECEIVE_BACKOFF_INITIAL_MS = 250;
export const SQS_RECEIVE_BACKOFF_MAX_MS = 20_000;

/**
 * With short polling (`waitTimeSeconds: 0`) an empty receive returns at once; a poller waits
 * this long before the next one instead of spinning on an empty queue.
 */
export const SQS_EMPTY_SHORT_POLL_PAUSE_MS = 500;

/**
 * How long past its `waitTimeSeconds` a stopping consumer waits for SQS to answer a receive
 * before it aborts it. Aborting sooner would not end the long poll on SQS's side, which would
 * still take messages and hide them for their visibility timeout.
 */
export const SQS_RECEIVE_ANSWER_GRACE_MS = 5_000;

/** The attribute names a dead letter carries; all `String`, all safe to log (no payload, no token). */
export const SQS_DEAD_LETTER_ATTRIBUTES = {
  reason: 'bus-reason',
  sourceQueue: 'bus-source-queue',
  attempts: 'bus-attempts',
  failedAt: 'bus-failed-at',
  originalMessageId: 'bus-original-message-id',
} as const;

/**
 * The size limit assumed for a dead-letter queue that does not report its MaximumMessageSize:
 * SQS's largest, and its default since August 2025 (1 MiB; ElasticMQ 1.7 and moto 5.2 use it
 * too). SQS counts the body and every attribute's name, type and value against it.
 */
export const SQS_DEFAULT_MAX_MESSAGE_BYTES = 1_048_576;

/** The smallest MaximumMessageSize SQS allows: a dead letter within it fits any queue. */
export const SQS_MIN_MAX_MESSAGE_BYTES = 1_024;
