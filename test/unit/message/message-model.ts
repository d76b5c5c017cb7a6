/**
 * The message model under test, imported from its own files rather than from the package entry:
 * these specs then depend on lib/message and lib/errors only, not on the rest of the library.
 * The public entry point is checked by the smoke test (test/smoke).
 */
export { MessageBusError } from '../../../lib/errors/message-bus.error';
export {
  MessageValidationError,
  type MessageFieldIssue,
} from '../../../lib/errors/message-validation.error';
export { UnknownMessageTypeError } from '../../../lib/errors/unknown-message-type.error';
export { ReadOnlyMessageTypeRegistryError } from '../../../lib/errors/read-only-message-type-registry.error';
export { InstructionType } from '../../../lib/message/instruction-type.enum';
export { EventType } from '../../../lib/message/event-type.enum';
export { TransactionType } from '../../../lib/message/transaction-type.enum';
export { Direction } from '../../../lib/message/direction.enum';
export { Severity } from '../../../lib/message/severity.enum';
export { NotificationSubjects } from '../../../lib/message/notification-subject';
export type { MessageKind } from '../../../lib/message/message-kind';
export { MetaData } from '../../../lib/message/meta-data';
export { MessageBusMessage } from '../../../lib/message/message-bus-message';
export {
  MessageTypeRegistry,
  defaultMessageTypeRegistry,
} from '../../../lib/message/message-type-registry';
export type { PayloadClass } from '../../../lib/message/payload-class';
export { toWireJson } from '../../../lib/message/wire-json';
export { IsNonBlankString } from '../../../lib/message/validation/is-non-blank-string.decorator';
export { IsWireEnum } from '../../../lib/message/validation/is-wire-enum.decorator';
export { PaymentPayload } from '../../../lib/message/payloads/instructions/payment.payload';
export { StatusUpdatePayload } from '../../../lib/message/payloads/instructions/status-update.payload';
export { CorrectionPayload } from '../../../lib/message/payloads/instructions/correction.payload';
export { TransactionPayload } from '../../../lib/message/payloads/instructions/transaction.payload';
export { BankPaymentRequestPayload } from '../../../lib/message/payloads/instructions/bank-payment-request.payload';
export { ChainPaymentPayload } from '../../../lib/message/payloads/instructions/chain-payment.payload';
export { UpdateProfilePayload } from '../../../lib/message/payloads/instructions/update-profile.payload';
export { MintPayload } from '../../../lib/message/payloads/instructions/mint.payload';
export { BurnPayload } from '../../../lib/message/payloads/instructions/burn.payload';
export { NewTransactionEventPayload } from '../../../lib/message/payloads/events/new-transaction-event.payload';
export { TransactionStatusEventPayload } from '../../../lib/message/payloads/events/transaction-status-event.payload';
export { PaymentEventPayload } from '../../../lib/message/payloads/events/payment-event.payload';
export { BankPaymentEventPayload } from '../../../lib/message/payloads/events/bank-payment-event.payload';
export { NewUserEventPayload } from '../../../lib/message/payloads/events/new-user-event.payload';
export { CustomerNotificationPayload } from '../../../lib/message/payloads/events/customer-notification.payload';
export { PlatformNotificationPayload } from '../../../lib/message/payloads/events/platform-notification.payload';
export { ProfileEventPayload } from '../../../lib/message/payloads/events/profile-event.payload';
export { KycEventPayload } from '../../../lib/message/payloads/events/kyc-event.payload';
export { PasswordResetEventPayload } from '../../../lib/message/payloads/events/password-reset-event.payload';
export { VerificationRequestedEventPayload } from '../../../lib/message/payloads/events/verification-requested-event.payload';
export {
  AddressOnboardedEventPayload,
  RelayCompletedEventPayload,
  RelayInitiatedEventPayload,
  RelayOnboardedEventPayload,
  TwoShapeRelayEventPayload,
  type RelayEvent,
} from '../../../lib/message/payloads/events/relay-event.payload';
