/** Used when neither `bootstrapServers` nor `KAFKA_BOOTSTRAP_SERVERS` is set, as the Python client does. */
export const KAFKA_DEFAULT_BOOTSTRAP_SERVERS = 'localhost:9092';
/** The Python client's defaults: credentials over TLS. */
export const KAFKA_DEFAULT_SECURITY_PROTOCOL = 'SASL_SSL';
export const KAFKA_DEFAULT_SASL_MECHANISM = 'PLAIN';
export const KAFKA_DEFAULT_CLIENT_ID = 'nestjs-message-bus';

/** Environment variables the client falls back on, named as the Python client names them. */
export const KAFKA_ENV_BOOTSTRAP_SERVERS = 'KAFKA_BOOTSTRAP_SERVERS';
export const KAFKA_ENV_SECURITY_PROTOCOL = 'KAFKA_API_PROTOCOL';
export const KAFKA_ENV_SASL_MECHANISM = 'KAFKA_API_SASL_MECHANISM';

export const KAFKA_DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;
export const KAFKA_DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const KAFKA_DEFAULT_SEND_RETRIES = 5;
export const KAFKA_DEFAULT_SESSION_TIMEOUT_MS = 30_000;
export const KAFKA_DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000;
export const KAFKA_DEFAULT_MAX_WAIT_TIME_MS = 500;
export const KAFKA_DEFAULT_RECEIVE_BUFFER_SIZE = 256;
/**
 * Bytes fetched per partition at a time. Kept small because a fetch beyond the free space
 * of the receive buffer is dropped and fetched again later.
 */
export const KAFKA_MAX_BYTES_PER_PARTITION = 256 * 1024;

/** `receiveMessage`'s default wait, as the Python client's `timeout_ms`. */
export const KAFKA_DEFAULT_RECEIVE_TIMEOUT_MS = 1_000;
/** Kafka's own limit on topic names. */
export const KAFKA_MAX_TOPIC_NAME_LENGTH = 249;
