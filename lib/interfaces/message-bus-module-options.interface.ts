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
import type { StartupPolicy } from './startup-policy';

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
  /**
   * Whether this app instance consumes at all. `false`: a publish-only instance; the consumers
   * in `consumers` stay declared (same config for every deployment, names in
   * `MessageBusConsumers.statuses()`, all `stopped`) but none connects or starts, and starting
   * one throws `ConsumptionDisabledError`. Publishing works as ever. Default true.
   */
  consume?: boolean;
  /**
   * Whether consumers start when the app boots, for every consumer that does not say (its own
   * `autoStart`). `false`: they are declared, shown `stopped` in `statuses()`, not connected,
   * until `MessageBusConsumers.start(name)` (or `resume(name)`). Default true.
   */
  autoStart?: boolean;
  /** How long shutdown waits for running handlers before leaving their messages for redelivery. Default 30 000 ms. */
  shutdownTimeoutMs?: number;
  /**
   * When a consumer fails for good (its queue deleted, kafkajs giving up): `'keep-running'`
   * (default) keeps the process alive with the consumer `failed` in `statuses()`; `'exit'`
   * logs the reason, stops the other consumers and exits the process with code 1.
   */
  onConsumerFailure?: ConsumerFailureBehaviour;
  /**
   * What every SQS and Kafka consumer does when its broker cannot be reached at start-up:
   * `'keep-retrying'` (default) starts the app with the consumer `reconnecting` until the
   * broker answers; `'fail-fast'` makes the app's bootstrap reject, naming the broker or queue.
   * See `StartupPolicy`.
   */
  startup?: StartupPolicy;
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
