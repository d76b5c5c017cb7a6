import { boundFailureText } from '../../../errors/bounded-failure-text';
import type { KafkaConnectionSettings } from '../kafka-connection-config';
import type { KafkaErrorContext } from '../kafka-error-mapping';

/** What the error mapping may say about the connection of `settings`: never the password. */
export function kafkaErrorContextOf(settings: KafkaConnectionSettings): KafkaErrorContext {
  return {
    brokers: settings.brokers,
    securityProtocol: settings.securityProtocol,
    saslMechanism: settings.sasl?.mechanism,
    userName: settings.sasl?.userName,
    secrets: () => {
      const password = settings.sasl?.revealPassword();
      return password ? [password] : [];
    },
  };
}

/** `Name: message` of an error, for a log line, bounded. */
export function errorText(error: unknown): string {
  return boundFailureText(
    error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  );
}
