import { IsOptional } from 'class-validator';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';

/** Payload of a STATUS_UPDATE instruction. */
export class StatusUpdatePayload {
  @IsNonBlankString()
  reference!: string;

  @IsNonBlankString()
  status!: string;

  @IsOptional()
  @IsNonBlankString()
  message?: string;
}
