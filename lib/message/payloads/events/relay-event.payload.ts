import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsStringRecord } from '../../validation/is-string-record.decorator';

/** The shape the address-onboarding and relay events share: a user's email and string details. */
export abstract class RelayEventPayload {
  @IsNonBlankString()
  email!: string;

  @IsStringRecord()
  payload!: Record<string, string>;
}

/** Payload of an ADDRESS_ONBOARDED event. */
export class AddressOnboardedEventPayload extends RelayEventPayload {}

/** Payload of a RELAY_INITIATED event. */
export class RelayInitiatedEventPayload extends RelayEventPayload {}

/** Payload of a RELAY_COMPLETED event. */
export class RelayCompletedEventPayload extends RelayEventPayload {}

/** Payload of a RELAY_ONBOARDED event. */
export class RelayOnboardedEventPayload extends RelayEventPayload {}
