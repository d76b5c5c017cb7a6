import { MessageBusError } from '../../../errors/message-bus.error';

/** Where an authentication attempt went; never the password. */
export interface KafkaAuthenticationErrorDetails {
  readonly brokers: readonly string[];
  readonly securityProtocol: string;
  readonly saslMechanism: string;
  readonly userName: string;
  /** kafkajs's explanation, e.g. `Authentication failed: Invalid username or password`. */
  readonly detail?: string;
}

/**
 * The brokers refused the SASL credentials. Not retried: the same credentials will be
 * refused again, so this surfaces at once instead of after a round of retries.
 */
export class KafkaAuthenticationError
  extends MessageBusError
  implements KafkaAuthenticationErrorDetails
{
  override readonly name: string = 'KafkaAuthenticationError';
  readonly brokers: readonly string[];
  readonly securityProtocol: string;
  readonly saslMechanism: string;
  readonly userName: string;
  readonly detail?: string;

  constructor(details: KafkaAuthenticationErrorDetails, options?: { cause?: unknown }) {
    super(
      `Kafka at ${details.brokers.join(',')} rejected SASL ${details.saslMechanism} authentication of user ` +
        `"${details.userName}" over ${details.securityProtocol}${details.detail ? ` (${details.detail})` : ''}: ` +
        'check kafka.userName, kafka.password and kafka.saslMechanism',
      options,
    );
    this.brokers = details.brokers;
    this.securityProtocol = details.securityProtocol;
    this.saslMechanism = details.saslMechanism;
    this.userName = details.userName;
    this.detail = details.detail;
  }
}
