// Errors
export { MessageBusError } from './errors/message-bus.error';
export { MessageBusConfigurationError } from './errors/message-bus-configuration.error';
export { MissingOptionalPackageError } from './errors/missing-optional-package.error';
export { MessageValidationError, type MessageFieldIssue } from './errors/message-validation.error';
export { UnknownMessageTypeError } from './errors/unknown-message-type.error';
export { ReadOnlyMessageTypeRegistryError } from './errors/read-only-message-type-registry.error';

// Message model
export { InstructionType } from './message/instruction-type.enum';
export { EventType } from './message/event-type.enum';
export { TransactionType } from './message/transaction-type.enum';
export { Direction } from './message/direction.enum';
export { Severity } from './message/severity.enum';
export { NotificationSubjects, type NotificationSubject } from './message/notification-subject';
export type { MessageKind } from './message/message-kind';
export { MetaData } from './message/meta-data';
export {
  MessageBusMessage,
  type CreateMessageOptions,
  type MessageParseOptions,
  type WireMessage,
  type WireMetaData,
} from './message/message-bus-message';
export {
  MessageTypeRegistry,
  defaultMessageTypeRegistry,
  type MessageTypeDefinition,
} from './message/message-type-registry';
export type { PayloadClass } from './message/payload-class';
export { toWireJson } from './message/wire-json';
export { IsNonBlankString } from './message/validation/is-non-blank-string.decorator';
export { IsWireEnum } from './message/validation/is-wire-enum.decorator';
export { IsStringRecord } from './message/validation/is-string-record.decorator';
export { IsJsonValue } from './message/validation/is-json-value.decorator';
export { IsNotificationSubject } from './message/validation/is-notification-subject.decorator';
export { RequiredOnWrite } from './message/validation/required-on-write.decorator';

// Payloads
export { PaymentPayload } from './message/payloads/instructions/payment.payload';
export { StatusUpdatePayload } from './message/payloads/instructions/status-update.payload';
export { CorrectionPayload } from './message/payloads/instructions/correction.payload';
export { TransactionPayload } from './message/payloads/instructions/transaction.payload';
export { BankPaymentRequestPayload } from './message/payloads/instructions/bank-payment-request.payload';
export { ChainPaymentPayload } from './message/payloads/instructions/chain-payment.payload';
export { UpdateProfilePayload } from './message/payloads/instructions/update-profile.payload';
export { TokenSupplyPayload } from './message/payloads/instructions/token-supply.payload';
export { MintPayload } from './message/payloads/instructions/mint.payload';
export { BurnPayload } from './message/payloads/instructions/burn.payload';
export { NewTransactionEventPayload } from './message/payloads/events/new-transaction-event.payload';
export { TransactionStatusEventPayload } from './message/payloads/events/transaction-status-event.payload';
export { PaymentEventPayload } from './message/payloads/events/payment-event.payload';
export { BankPaymentEventPayload } from './message/payloads/events/bank-payment-event.payload';
export { ProfileIdentityPayload } from './message/payloads/events/profile-identity.payload';
export { ProfileEventPayload } from './message/payloads/events/profile-event.payload';
export { NewUserEventPayload } from './message/payloads/events/new-user-event.payload';
export { KycEventPayload } from './message/payloads/events/kyc-event.payload';
export { PasswordResetEventPayload } from './message/payloads/events/password-reset-event.payload';
export { VerificationRequestedEventPayload } from './message/payloads/events/verification-requested-event.payload';
export {
  RelayEventPayload,
  AddressOnboardedEventPayload,
  TwoShapeRelayEventPayload,
  RelayInitiatedEventPayload,
  RelayCompletedEventPayload,
  RelayOnboardedEventPayload,
  type PayloadDialect,
  type PythonRelayEvent,
  type RustRelayEvent,
  type RelayEvent,
} from './message/payloads/events/relay-event.payload';
export { CustomerNotificationPayload } from './message/payloads/events/customer-notification.payload';
export { PlatformNotificationPayload } from './message/payloads/events/platform-notification.payload';

// Module
export { MessageBusModule } from './message-bus.module';
export type {
  ConsumerFailureBehaviour,
  MessageBusModuleOptions,
} from './interfaces/message-bus-module-options.interface';
export type { StartupPolicy } from './interfaces/startup-policy';
export type {
  ConsumersOptions,
  KafkaConsumerOptions,
  KafkaRetryMode,
  SqsConsumerOptions,
} from './interfaces/consumer-options.interface';
export type { RetryOptions } from './interfaces/retry-options.interface';
export type { MessageHandlerOptions } from './interfaces/message-handler-metadata.interface';
export {
  MessageBusPublisher,
  type BuildMessageOptions,
  type PublisherPublishOptions,
} from './publisher/message-bus.publisher';
export { MessageBusConsumers } from './runtime/message-bus-consumers';
export type { ManagedConsumer } from './runtime/managed-consumer';
export { ConsumerOrchestrator } from './runtime/consumer.orchestrator';
export { UnknownConsumerError } from './errors/unknown-consumer.error';
export { ConsumptionDisabledError } from './errors/consumption-disabled.error';

export { MessageBusServer, type MessageBusServerClients } from './microservices/message-bus.server';
export { MessageBusClientProxy } from './microservices/message-bus.client-proxy';

// Handlers
export { OnInstruction } from './decorators/on-instruction.decorator';
export { OnEvent } from './decorators/on-event.decorator';
export { MessageMeta, BusMessage } from './decorators/message-meta.decorator';
export { MessageBusContext } from './dispatch/message-bus.context';
export { TokenClaims } from './trust/token-claims.decorator';
export type { VerifiedToken } from './trust/verified-token';
export type { TokenCheck } from './trust/token-check';
export type {
  JwksKeySourceOptions,
  PublicKeyOptions,
  TokenVerificationOptions,
} from './trust/token-verification-options.interface';
export { resolveServiceToken, type ServiceTokenSource } from './trust/service-token';
export { TokenVerificationError } from './errors/token-verification.error';
export { TokenKeySourceUnavailableError } from './errors/token-key-source-unavailable.error';
export type { DispatchOutcome, RejectionReason } from './dispatch/delivery-outcome';
export { DeadLetter } from './dispatch/signals/dead-letter.signal';
export { RetryLater } from './dispatch/signals/retry-later.signal';
export type { Settlement } from './dispatch/settlement-policy';
export type { UnhandledAction, UnhandledPolicy } from './dispatch/unhandled-policy';
export { DuplicateInstructionHandlerError } from './errors/duplicate-instruction-handler.error';
export { RequestScopedHandlerError } from './errors/request-scoped-handler.error';
export { UnresolvedEnhancerError, type EnhancerKind } from './errors/unresolved-enhancer.error';

// Idempotent handling
export type {
  HandlerIdempotency,
  IdempotencyKeyFunction,
  IdempotencyOptions,
} from './idempotency/idempotency-options.interface';
export type {
  IdempotencyBeginResult,
  IdempotencyStore,
} from './idempotency/idempotency-store.interface';
export { MemoryIdempotencyStore } from './idempotency/memory-idempotency.store';
export {
  RedisIdempotencyStore,
  type RedisIdempotencyStoreOptions,
} from './idempotency/redis-idempotency.store';
export { IdempotencyStoreUnavailableError } from './errors/idempotency-store-unavailable.error';

// Traces and metrics (OpenTelemetry API)
export type { MessageBusTelemetryOptions } from './telemetry/telemetry-options.interface';

// Transports
export type { TransportName } from './interfaces/transport-name';
export type { InboundDelivery } from './dispatch/inbound-delivery.interface';
export type {
  ConsumerState,
  ConsumerStatus,
  PublishOptions,
  PublishReceipt,
} from './transports/transport.interface';

// SQS
export { SqsClient, type SqsSendBatchOptions } from './transports/sqs/sqs.client';
export type { SqsClientOptions } from './transports/sqs/sqs-client-options.interface';
export type {
  SqsSendOptions,
  SqsRawSendOptions,
} from './transports/sqs/sqs-send-options.interface';
export type {
  SqsReceiveOptions,
  SqsReceiveManyOptions,
  SqsReceiveAttributeNames,
} from './transports/sqs/sqs-receive-options.interface';
export type {
  SqsReceivedMessage,
  SqsSystemAttributes,
  SqsMessageAttribute,
} from './transports/sqs/sqs-received-message.interface';
export type {
  SqsBatchResult,
  SqsBatchSuccess,
  SqsSentMessage,
  SqsBatchFailure,
  SqsVisibilityChange,
} from './transports/sqs/sqs-batch-result.interface';
export type { SqsOutgoingMessage } from './transports/sqs/sqs-message-body';
export {
  SqsOperationError,
  type SqsOperationErrorDetails,
} from './transports/sqs/errors/sqs-operation.error';
export { SqsQueueDoesNotExistError } from './transports/sqs/errors/sqs-queue-does-not-exist.error';
export { SqsBatchError } from './transports/sqs/errors/sqs-batch.error';
export { SqsInvalidArgumentError } from './transports/sqs/errors/sqs-invalid-argument.error';
export { SqsClientClosedError } from './transports/sqs/errors/sqs-client-closed.error';
export { SqsConsumerFailedError } from './transports/sqs/errors/sqs-consumer-failed.error';
export { SqsCredentialsMissingError } from './transports/sqs/errors/sqs-credentials-missing.error';
export { SQS_DEAD_LETTER_ATTRIBUTES } from './transports/sqs/consumer/sqs-consumer.constants';
export type { JsonValue } from './message/untrusted-json';

// Kafka
export { KafkaClient } from './transports/kafka/kafka.client';
export type {
  KafkaClientOptions,
  KafkaSecurityProtocol,
  KafkaSaslMechanism,
  KafkaLogLevel,
  KafkaLogSink,
  KafkaPartitioner,
  KafkaPartitionAssigner,
} from './transports/kafka/kafka-client-options.interface';
export { KAFKAJS_LOG_CONTEXT, NestKafkaLogSink } from './transports/kafka/nest-kafka-log-sink';
export { consoleKafkaLogSink } from './transports/kafka/kafka-log-creator';
export type {
  KafkaBatchEntry,
  KafkaReceiveOptions,
  KafkaReceivedMessage,
  KafkaSendResult,
} from './transports/kafka/kafka-received-message.interface';
export type { KafkaOutgoingMessage } from './transports/kafka/kafka-message-codec';
export {
  formatKafkaReceiptHandle,
  parseKafkaReceiptHandle,
  type KafkaRecordPosition,
} from './transports/kafka/kafka-receipt-handle';
export { KafkaAuthenticationError } from './transports/kafka/errors/kafka-authentication.error';
export { KafkaClientClosedError } from './transports/kafka/errors/kafka-client-closed.error';
export { KafkaCommitError } from './transports/kafka/errors/kafka-commit.error';
export { KafkaConnectionError } from './transports/kafka/errors/kafka-connection.error';
export { KafkaConsumerError } from './transports/kafka/errors/kafka-consumer.error';
export { KafkaInvalidArgumentError } from './transports/kafka/errors/kafka-invalid-argument.error';
export {
  KafkaReceiptHandleError,
  type KafkaReceiptHandleProblem,
} from './transports/kafka/errors/kafka-receipt-handle.error';
export { KafkaSendError } from './transports/kafka/errors/kafka-send.error';
export {
  KAFKA_DEAD_LETTER_HEADERS,
  KAFKA_RETRY_HEADERS,
} from './transports/kafka/consumer/kafka-consumer.constants';
