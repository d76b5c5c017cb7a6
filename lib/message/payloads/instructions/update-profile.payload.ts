import { IsOptional } from 'class-validator';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';

/** Payload of an UPDATE_PROFILE instruction: every field optional, each checked when present. */
export class UpdateProfilePayload {
  @IsOptional()
  @IsNonBlankString()
  address_line_1?: string;

  @IsOptional()
  @IsNonBlankString()
  address_line_2?: string;

  @IsOptional()
  @IsNonBlankString()
  bank_account_number?: string;

  @IsOptional()
  @IsNonBlankString()
  bank_number?: string;

  @IsOptional()
  @IsNonBlankString()
  tax_id?: string;

  @IsOptional()
  @IsNonBlankString()
  tax_id_name?: string;

  @IsOptional()
  @IsNonBlankString()
  id_country_code?: string;

  @IsOptional()
  @IsNonBlankString()
  suspended_at?: string;

  @IsOptional()
  @IsNonBlankString()
  deleted_at?: string;
}
