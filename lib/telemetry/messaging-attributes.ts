/**
 * Attribute names of OpenTelemetry's messaging semantic conventions (as of semconv 1.27+),
 * and this library's own under `messaging.bus.*`.
 */
export const ATTR_MESSAGING_SYSTEM = 'messaging.system';
export const ATTR_DESTINATION_NAME = 'messaging.destination.name';
export const ATTR_DESTINATION_PARTITION_ID = 'messaging.destination.partition.id';
export const ATTR_OPERATION_TYPE = 'messaging.operation.type';
export const ATTR_OPERATION_NAME = 'messaging.operation.name';
export const ATTR_MESSAGE_ID = 'messaging.message.id';
export const ATTR_CONSUMER_GROUP = 'messaging.consumer.group.name';
export const ATTR_KAFKA_OFFSET = 'messaging.kafka.offset';
export const ATTR_KAFKA_MESSAGE_KEY = 'messaging.kafka.message.key';
export const ATTR_ERROR_TYPE = 'error.type';

/** The consumer's name as `statuses()` reports it, e.g. `sqs:orders` or `kafka:orders (billing)`. */
export const ATTR_BUS_CONSUMER = 'messaging.bus.consumer';
/** 1-based delivery attempt. */
export const ATTR_BUS_ATTEMPT = 'messaging.bus.attempt';
/** What the consumer did: handled, duplicate, ignored, retried, dead-lettered, left, released. */
export const ATTR_BUS_OUTCOME = 'messaging.bus.outcome';
/** Why it was not handled: a rejection reason (`invalid-message`, …) or `handler-error`. */
export const ATTR_BUS_REASON = 'messaging.bus.reason';
/** The envelope's `meta_data.type`, when the message parsed. */
export const ATTR_BUS_MESSAGE_TYPE = 'messaging.bus.message_type';

/** `messaging.system` per transport: the conventions' well-known values, ours for the memory bus. */
export const MESSAGING_SYSTEMS = { sqs: 'aws_sqs', kafka: 'kafka', memory: 'memory' } as const;

export const INSTRUMENTATION_NAME = 'nestjs-message-bus';

/** Metric names; Prometheus shows them with `_` for `.`, and units and `_total` appended. */
export const METRIC_DELIVERIES = 'messaging.bus.deliveries';
export const METRIC_PROCESS_DURATION = 'messaging.process.duration';
export const METRIC_IN_FLIGHT = 'messaging.bus.in_flight';
export const METRIC_KAFKA_LAG = 'messaging.bus.kafka.consumer.lag';
export const METRIC_SQS_DEPTH = 'messaging.bus.sqs.queue.depth';
