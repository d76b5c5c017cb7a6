import { IsOptional } from 'class-validator';
import { IsWireString } from '../../validation/is-wire-string.decorator';

/** Payload of an UPDATE_PROFILE instruction: every field an optional string, blank allowed, as the Python client has it. */
export class UpdateProfilePayload {
  @IsOptional()
  @IsWireString()
  address_line_1?: string;

  @IsOptional()
  @IsWireString()
  address_line_2?: string;

  @IsOptional()
  @IsWireString()
  bank_account_number?: string;

  @IsOptional()
  @IsWireString()
  bank_number?: string;

  @IsOptional()
  @IsWireString()
  tax_id?: string;

  @IsOptional()
  @IsWireString()
  tax_id_name?: string;

  @IsOptional()
  @IsWireString()
  id_country_code?: string;

  @IsOptional()
  @IsWireString()
  suspended_at?: string;

  @IsOptional()
  @IsWireString()
  deleted_at?: string;
}
