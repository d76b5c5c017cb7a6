import type { Kafka, KafkaConfig } from 'kafkajs';
import type { KafkaLogSink } from './kafka-client-options.interface';
import {
  toKafkaJsConfig,
  type KafkaClientRole,
  type KafkaConnectionSettings,
} from './kafka-connection-config';
import type { KafkaErrorContext } from './kafka-error-mapping';
import { createKafkaLogCreator } from './kafka-log-creator';
import { loadKafkaJs, type KafkaJsModule } from './kafkajs.loader';

/**
 * How one `KafkaClient` reaches the brokers: the kafkajs config of each role (its client id
 * differs), one shared kafkajs `Kafka` per role, and what an error may say about the
 * connection. The password stays inside `settings`, revealed only to kafkajs and the redaction.
 */
export class KafkaConnections {
  readonly errorContext: KafkaErrorContext;
  private readonly kafkaByRole = new Map<KafkaClientRole, Kafka>();
  /** Loaded here, not imported: an app without Kafka need not install kafkajs. */
  private readonly kafkajs: KafkaJsModule = loadKafkaJs();

  constructor(
    readonly settings: KafkaConnectionSettings,
    readonly sink: KafkaLogSink,
  ) {
    this.errorContext = {
      brokers: settings.brokers,
      securityProtocol: settings.securityProtocol,
      saslMechanism: settings.sasl?.mechanism,
      userName: settings.sasl?.userName,
      secrets: () => this.secrets(),
    };
  }

  /** A fresh kafkajs config for one role: brokers, TLS, SASL, timeouts and the redacting log creator. */
  kafkaConfig(role: KafkaClientRole): KafkaConfig {
    return toKafkaJsConfig(
      this.settings,
      role,
      createKafkaLogCreator(this.settings.logLevel, this.sink, this.secrets()),
    );
  }

  /** A new kafkajs `Kafka` built from `kafkaConfig(role)`. */
  createKafka(role: KafkaClientRole): Kafka {
    return new this.kafkajs.Kafka(this.kafkaConfig(role));
  }

  /** The `Kafka` of a role this client's own producer and consumers share, built on first use. */
  shared(role: KafkaClientRole): Kafka {
    let kafka = this.kafkaByRole.get(role);
    if (!kafka) {
      kafka = this.createKafka(role);
      this.kafkaByRole.set(role, kafka);
    }
    return kafka;
  }

  private secrets(): string[] {
    const password = this.settings.sasl?.revealPassword();
    return password ? [password] : [];
  }
}
