import type { MessageTypeDefinition } from '../message/message-type-registry';
import type { KafkaClientOptions } from '../transports/kafka/kafka-client-options.interface';
import type { SqsClientOptions } from '../transports/sqs/sqs-client-options.interface';
import type { TransportName } from '../transports/transport-name';
import type { ConsumersOptions } from './consumer-options.interface';
import type { UnhandledAction } from './unhandled-action.interface';

export interface MessageBusModuleOptions {
  /**
   * The bus `MessageBusPublisher` sends on when a call does not say. `'memory'` puts the
   * whole app (publishes and consumers) on an in-process bus: for local runs and tests.
   * Default: `sqs` when only `sqs` is configured, `kafka` when only `kafka` is, else required.
   */
  transport?: TransportName;
  /** SqsClient options; required to inject `SqsClient` or consume queues. */
  sqs?: SqsClientOptions;
  /** KafkaClient options; required to inject `KafkaClient` or consume topics. */
  kafka?: KafkaClientOptions;
  /** The queues and topics this app listens to. */
  consumers?: ConsumersOptions;
  /** Extra message types, or replacement payload classes for built-in ones. */
  messageTypes?: MessageTypeDefinition[];
  /**
   * What becomes of a valid message no handler takes, on every consumer that does not say:
   * the value applies to instructions and events alike. Unset: instructions are dead-lettered
   * (one nobody handles is misrouted), events acknowledged (a topic carries many types).
   */
  unhandled?: UnhandledAction;
  /** How long shutdown waits for running handlers before leaving their messages for redelivery. Default 30 000 ms. */
  shutdownTimeoutMs?: number;
}
