import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';

/** The shape NEW_PROFILE and NEW_USER share: a title and the identifier of the profile or user. */
export abstract class ProfileIdentityPayload {
  @IsNonBlankString()
  title!: string;

  @IsNonBlankString()
  identifier!: string;
}
