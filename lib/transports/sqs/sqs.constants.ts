/** Limits SQS enforces; checking them here turns a late SDK error into an early, named one. */
export const SQS_MAX_BATCH_ENTRIES = 10;
/**
 * The size cap of one batch request (and of one message) on ElasticMQ, moto and older SQS
 * accounts. AWS has since raised it to 1 MiB, but 256 KiB works everywhere.
 */
export const SQS_MAX_BATCH_BYTES = 256 * 1024;
export const SQS_MAX_DELAY_SECONDS = 900;
export const SQS_MAX_WAIT_TIME_SECONDS = 20;
export const SQS_MAX_VISIBILITY_TIMEOUT_SECONDS = 12 * 60 * 60;
export const SQS_MAX_RECEIVE_MESSAGES = 10;

/**
 * Long polling by default, at the SQS maximum: the fewest empty (billed) receives and the
 * quickest delivery. A consumer that must stop sooner passes an `abortSignal`.
 */
export const SQS_DEFAULT_WAIT_TIME_SECONDS = 20;

/** Used when neither `sqs.region` nor `AWS_REGION` is set, as the Python client does. */
export const SQS_DEFAULT_REGION = 'eu-west-1';

export const FIFO_SUFFIX = '.fifo';
