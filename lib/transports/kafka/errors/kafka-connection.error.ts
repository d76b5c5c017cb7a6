import { MessageBusError } from '../../../errors/message-bus.error';

export interface KafkaConnectionErrorDetails {
  readonly brokers: readonly string[];
  readonly securityProtocol: string;
  /** The kafkajs error behind it, e.g. `KafkaJSConnectionError`. */
  readonly kafkaError: string;
  readonly detail?: string;
}

/** Whether a connection failure's detail says the TLS handshake failed: a setting to fix, not an outage. */
export function isTlsFailureDetail(detail: string | undefined): boolean {
  return /certificate|self[- ]signed|SSL|TLS|handshake/i.test(detail ?? '');
}

/**
 * No broker could be reached, or the TLS handshake failed, after kafkajs's retries.
 * Distinct from `KafkaAuthenticationError` so that callers can tell "down" from "refused".
 */
export class KafkaConnectionError extends MessageBusError implements KafkaConnectionErrorDetails {
  override readonly name: string = 'KafkaConnectionError';
  readonly brokers: readonly string[];
  readonly securityProtocol: string;
  readonly kafkaError: string;
  readonly detail?: string;

  constructor(details: KafkaConnectionErrorDetails, options?: { cause?: unknown }) {
    const tls = isTlsFailureDetail(details.detail)
      ? 'check kafka.ssl (e.g. { ca: [pem] } for a private CA) and kafka.securityProtocol'
      : 'check kafka.bootstrapServers, kafka.securityProtocol and that the brokers are up';
    super(
      `Could not connect to Kafka at ${details.brokers.join(',')} over ${details.securityProtocol}` +
        `${details.detail ? ` (${details.detail})` : ''}: ${tls}`,
      options,
    );
    this.brokers = details.brokers;
    this.securityProtocol = details.securityProtocol;
    this.kafkaError = details.kafkaError;
    this.detail = details.detail;
  }
}
