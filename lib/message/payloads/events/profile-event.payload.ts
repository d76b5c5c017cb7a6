import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';

/** Payload of a NEW_PROFILE event. */
export class ProfileEventPayload {
  @IsNonBlankString()
  title!: string;

  @IsNonBlankString()
  identifier!: string;
}
