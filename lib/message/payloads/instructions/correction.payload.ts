import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';

/** Payload of a CORRECTION instruction. */
export class CorrectionPayload {
  @IsNonBlankString()
  reference!: string;

  @IsNonBlankString()
  value!: string;

  @IsNonBlankString()
  message!: string;

  @IsNonBlankString()
  currency!: string;

  @IsNonBlankString()
  source!: string;
}
