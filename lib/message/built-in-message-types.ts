import { EventType } from './event-type.enum';
import { InstructionType } from './instruction-type.enum';
import { MetaData } from './meta-data';
import type { PayloadClass } from './payload-class';
import { DtoValidator } from './validation/dto-validator';
import { BankPaymentEventPayload } from './payloads/events/bank-payment-event.payload';
import { CustomerNotificationPayload } from './payloads/events/customer-notification.payload';
import { KycEventPayload } from './payloads/events/kyc-event.payload';
import { NewTransactionEventPayload } from './payloads/events/new-transaction-event.payload';
import { NewUserEventPayload } from './payloads/events/new-user-event.payload';
import { PasswordResetEventPayload } from './payloads/events/password-reset-event.payload';
import { PaymentEventPayload } from './payloads/events/payment-event.payload';
import { PlatformNotificationPayload } from './payloads/events/platform-notification.payload';
import { ProfileEventPayload } from './payloads/events/profile-event.payload';
import {
  AddressOnboardedEventPayload,
  RelayCompletedEventPayload,
  RelayInitiatedEventPayload,
  RelayOnboardedEventPayload,
} from './payloads/events/relay-event.payload';
import { TransactionStatusEventPayload } from './payloads/events/transaction-status-event.payload';
import { VerificationRequestedEventPayload } from './payloads/events/verification-requested-event.payload';
import { BankPaymentRequestPayload } from './payloads/instructions/bank-payment-request.payload';
import { BurnPayload } from './payloads/instructions/burn.payload';
import { ChainPaymentPayload } from './payloads/instructions/chain-payment.payload';
import { CorrectionPayload } from './payloads/instructions/correction.payload';
import { MintPayload } from './payloads/instructions/mint.payload';
import { PaymentPayload } from './payloads/instructions/payment.payload';
import { StatusUpdatePayload } from './payloads/instructions/status-update.payload';
import { TransactionPayload } from './payloads/instructions/transaction.payload';
import { UpdateProfilePayload } from './payloads/instructions/update-profile.payload';

/**
 * Every instruction either peer defines, with its payload class (README, "The message model",
 * has the table of who sends which). Registry order is this order: the enum's.
 */
export const BUILT_IN_INSTRUCTION_PAYLOADS: Readonly<Record<InstructionType, PayloadClass>> = {
  [InstructionType.PAYMENT]: PaymentPayload,
  [InstructionType.STATUS_UPDATE]: StatusUpdatePayload,
  [InstructionType.CORRECTION]: CorrectionPayload,
  [InstructionType.TRANSACTION]: TransactionPayload,
  [InstructionType.BANK_PAYMENT_REQUEST]: BankPaymentRequestPayload,
  [InstructionType.CHAIN_PAYMENT]: ChainPaymentPayload,
  [InstructionType.UPDATE_PROFILE]: UpdateProfilePayload,
  [InstructionType.MINT]: MintPayload,
  [InstructionType.BURN]: BurnPayload,
};

/**
 * Every event either peer defines, with its payload class, in the enum's order. Besides the
 * domain events: the Rust client's customer notifications (`{subject, data}`) and platform
 * notifications (`{severity, data, subject?}`), peer-models.md §2.3.
 */
export const BUILT_IN_EVENT_PAYLOADS: Readonly<Record<EventType, PayloadClass>> = {
  [EventType.BANK_PAYMENT_BALANCE_INSUFFICIENT_ALERT]: PlatformNotificationPayload,
  [EventType.BANK_PAYMENT_EXECUTION_FAILED_ALERT]: PlatformNotificationPayload,
  [EventType.BCB_WEBHOOK_PROCESSING_FAILED_ALERT]: PlatformNotificationPayload,
  [EventType.BENEFICIARY_CREATION_FAILED_ALERT]: PlatformNotificationPayload,
  [EventType.NEW_TRANSACTION]: NewTransactionEventPayload,
  [EventType.TRANSACTION_STATUS_UPDATE]: TransactionStatusEventPayload,
  // One shape under two names: the Python client's and the Rust client's.
  [EventType.NEW_BANK_PAYMENT]: PaymentEventPayload,
  [EventType.PAYMENT]: PaymentEventPayload,
  [EventType.BANK_PAYMENT]: BankPaymentEventPayload,
  [EventType.NEW_PROFILE]: ProfileEventPayload,
  [EventType.NEW_USER]: NewUserEventPayload,
  [EventType.VERIFICATION_REQUESTED]: VerificationRequestedEventPayload,
  [EventType.PASSWORD_RESET_REQUESTED]: PasswordResetEventPayload,
  [EventType.KYC_EVENT]: KycEventPayload,
  [EventType.ADDRESS_ONBOARDED]: AddressOnboardedEventPayload,
  // Two shapes under one name: `{email, payload}` from Python, `{subject, data}` from Rust.
  [EventType.RELAY_INITIATED]: RelayInitiatedEventPayload,
  [EventType.RELAY_COMPLETED]: RelayCompletedEventPayload,
  [EventType.RELAY_ONBOARDED]: RelayOnboardedEventPayload,
  [EventType.RELAY_STUCK_DEPOSITING]: PlatformNotificationPayload,
  [EventType.RELAY_STUCK_BRIDGING]: PlatformNotificationPayload,
  [EventType.RELAY_STUCK_FORWARDING]: PlatformNotificationPayload,
  [EventType.RELAY_FAILED]: PlatformNotificationPayload,
  [EventType.CIRCLE_API_5XX_BURST]: PlatformNotificationPayload,
  [EventType.WEBHOOK_REPROCESSOR_BACKLOG]: PlatformNotificationPayload,
  [EventType.MINT_COMPLETED]: CustomerNotificationPayload,
  // The Rust client's registry calls it platform/info, yet reads it as a customer notification.
  [EventType.BURN_COMPLETED]: CustomerNotificationPayload,
  [EventType.MINT_HELD]: CustomerNotificationPayload,
  [EventType.BURN_HELD]: CustomerNotificationPayload,
  [EventType.MINT_HELD_ALERT]: PlatformNotificationPayload,
  [EventType.BURN_HELD_ALERT]: PlatformNotificationPayload,
  [EventType.CUSTOMER_NOTIFY_FAILED]: PlatformNotificationPayload,
  [EventType.MINT_INFO]: PlatformNotificationPayload,
  [EventType.BURN_INFO]: PlatformNotificationPayload,
  [EventType.TRANSACTION_FAILED_ALERT]: PlatformNotificationPayload,
  [EventType.TRANSACTION_HELD_ALERT]: PlatformNotificationPayload,
  [EventType.DEPOSIT_INITIATED]: CustomerNotificationPayload,
  [EventType.DEPOSIT_COMPLETED]: CustomerNotificationPayload,
  [EventType.DEPOSIT_FAILED]: CustomerNotificationPayload,
  [EventType.WITHDRAW_INITIATED]: CustomerNotificationPayload,
  [EventType.WITHDRAW_COMPLETED]: CustomerNotificationPayload,
  [EventType.WITHDRAW_FAILED]: CustomerNotificationPayload,
  [EventType.CUSTOMER_FUNDS_RECEIVED]: CustomerNotificationPayload,
  [EventType.TRANSACTION_FUNDED_INFO]: PlatformNotificationPayload,
  [EventType.BANK_PAYMENT_RECEIVED_INFO]: PlatformNotificationPayload,
  [EventType.BANK_PAYMENT_SENT_INFO]: PlatformNotificationPayload,
  [EventType.ONCHAIN_PAYMENT_RECEIVED_INFO]: PlatformNotificationPayload,
  [EventType.ONCHAIN_PAYMENT_SENT_INFO]: PlatformNotificationPayload,
  [EventType.TRANSACTION_APPROVED_INFO]: PlatformNotificationPayload,
  [EventType.TRANSACTION_FULFILLED_INFO]: PlatformNotificationPayload,
};

// The library's own DTOs keep to what the direct validation path runs exactly as class-validator.
DtoValidator.compile(
  MetaData,
  ...Object.values(BUILT_IN_INSTRUCTION_PAYLOADS),
  ...new Set(Object.values(BUILT_IN_EVENT_PAYLOADS)),
);
