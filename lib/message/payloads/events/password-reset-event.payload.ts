import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';

/** Payload of a PASSWORD_RESET_REQUESTED event. `password` is a secret: never log it. */
export class PasswordResetEventPayload {
  @IsNonBlankString()
  to!: string;

  @IsNonBlankString()
  subject!: string;

  @IsNonBlankString()
  password!: string;
}
