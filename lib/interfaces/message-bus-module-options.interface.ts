import type { IdempotencyOptions } from '../idempotency/idempotency-options.interface';
import type { MessageBusTelemetryOptions } from '../telemetry/telemetry-options.interface';
import type { UnhandledAction } from '../dispatch/unhandled-policy';
import type { MessageTypeDefinition } from '../message/message-type-registry';
import type { KafkaClientOptions } from '../transports/kafka/kafka-client-options.interface';
import type { SqsClientOptions } from '../transports/sqs/sqs-client-options.interface';
import type { ServiceTokenSource } from '../trust/service-token';
import type { TokenVerificationOptions } from '../trust/token-verification-options.interface';
import type { TransportName } from './transport-name';
import type { ConsumersOptions } from './consumer-options.interface';

/** What the app does when one of its consumers fails for good (`onConsumerFailure`). */
export type ConsumerFailureBehaviour = 'keep-running' | 'exit';

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
  /**
   * When a consumer fails for good (its queue deleted, kafkajs giving up): `'keep-running'`
   * (default) keeps the process alive with the consumer `failed` in `statuses()`; `'exit'`
   * logs the reason, stops the other consumers and exits the process with code 1.
   */
  onConsumerFailure?: ConsumerFailureBehaviour;
  /**
   * How service tokens (`meta_data.token`) are verified: keys (JWKS URL, public keys or HMAC
   * secret), algorithms, issuer, audience, clock tolerance, required claims, service claim.
   * Required for any `verifyToken`; on its own it verifies nothing.
   */
  tokenVerification?: TokenVerificationOptions;
  /**
   * Verify the token of every message on every consumer that does not say otherwise (the
   * consumer's `verifyToken`), before its handlers run. Default false: only handlers declared
   * with `{ verifyToken: true }` get verified messages.
   */
  verifyToken?: boolean;
  /**
   * The token `MessageBusPublisher.build()` puts in `meta_data.token`: a string, or a function
   * (sync or async) called for each message, to fetch and refresh it.
   */
  serviceToken?: ServiceTokenSource;
  /**
   * Idempotent handling on every consumer that does not say otherwise: each handler runs once
   * per `meta_data.idempotency_key` (see `IdempotencyOptions`). Off by default.
   */
  idempotency?: boolean | IdempotencyOptions;
  /**
   * Traces and metrics through `@opentelemetry/api` (an optional peer; nothing is recorded
   * unless the app registers an OpenTelemetry SDK). Both on by default; turn either off here.
   */
  telemetry?: MessageBusTelemetryOptions;
}
