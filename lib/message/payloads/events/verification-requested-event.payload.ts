import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';

/** Payload of a VERIFICATION_REQUESTED event. */
export class VerificationRequestedEventPayload {
  @IsNonBlankString()
  to!: string;

  @IsNonBlankString()
  subject!: string;
}
