import { EventType } from './event-type.enum';
import { InstructionType } from './instruction-type.enum';
import { MetaData } from './meta-data';
import type { PayloadClass } from './payload-class';
import { DtoValidator } from './validation/dto-validator';
import { KycEventPayload } from './payloads/events/kyc-event.payload';
import { NewTransactionEventPayload } from './payloads/events/new-transaction-event.payload';
import { PasswordResetEventPayload } from './payloads/events/password-reset-event.payload';
import { PaymentEventPayload } from './payloads/events/payment-event.payload';
import { ProfileEventPayload } from './payloads/events/profile-event.payload';
import {
  AddressOnboardedEventPayload,
  RelayCompletedEventPayload,
  RelayInitiatedEventPayload,
  RelayOnboardedEventPayload,
} from './payloads/events/relay-event.payload';
import { TransactionStatusEventPayload } from './payloads/events/transaction-status-event.payload';
import { VerificationRequestedEventPayload } from './payloads/events/verification-requested-event.payload';
import { BurnPayload } from './payloads/instructions/burn.payload';
import { CorrectionPayload } from './payloads/instructions/correction.payload';
import { MintPayload } from './payloads/instructions/mint.payload';
import { PaymentPayload } from './payloads/instructions/payment.payload';
import { StatusUpdatePayload } from './payloads/instructions/status-update.payload';
import { TransactionPayload } from './payloads/instructions/transaction.payload';
import { UpdateProfilePayload } from './payloads/instructions/update-profile.payload';

export const BUILT_IN_INSTRUCTION_PAYLOADS: Readonly<Record<InstructionType, PayloadClass>> = {
  [InstructionType.PAYMENT]: PaymentPayload,
  [InstructionType.STATUS_UPDATE]: StatusUpdatePayload,
  [InstructionType.CORRECTION]: CorrectionPayload,
  [InstructionType.TRANSACTION]: TransactionPayload,
  [InstructionType.UPDATE_PROFILE]: UpdateProfilePayload,
  [InstructionType.MINT]: MintPayload,
  [InstructionType.BURN]: BurnPayload,
};

/** NEW_USER has no payload class yet: its messages are unknown until an app registers one. */
export const BUILT_IN_EVENT_PAYLOADS: Readonly<Partial<Record<EventType, PayloadClass>>> = {
  [EventType.NEW_TRANSACTION]: NewTransactionEventPayload,
  [EventType.TRANSACTION_STATUS_UPDATE]: TransactionStatusEventPayload,
  [EventType.NEW_BANK_PAYMENT]: PaymentEventPayload,
  [EventType.NEW_PROFILE]: ProfileEventPayload,
  [EventType.VERIFICATION_REQUESTED]: VerificationRequestedEventPayload,
  [EventType.PASSWORD_RESET_REQUESTED]: PasswordResetEventPayload,
  [EventType.KYC_EVENT]: KycEventPayload,
  [EventType.ADDRESS_ONBOARDED]: AddressOnboardedEventPayload,
  [EventType.RELAY_INITIATED]: RelayInitiatedEventPayload,
  [EventType.RELAY_COMPLETED]: RelayCompletedEventPayload,
  [EventType.RELAY_ONBOARDED]: RelayOnboardedEventPayload,
};

// The library's own DTOs keep to what the direct validation path runs exactly as class-validator.
DtoValidator.compile(
  MetaData,
  ...Object.values(BUILT_IN_INSTRUCTION_PAYLOADS),
  ...Object.values(BUILT_IN_EVENT_PAYLOADS),
);
