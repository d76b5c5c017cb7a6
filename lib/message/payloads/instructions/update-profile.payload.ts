import { IsOptional } from 'class-validator';
import { IsWireString } from '../../validation/is-wire-string.decorator';
import { RequiredOnWrite } from '../../validation/required-on-write.decorator';

/**
 * Payload of an UPDATE_PROFILE instruction: every field an optional string, blank allowed, as
 * the Python client has it. `profile_id` (first, as the Rust client writes it) is the Rust
 * client's: it refuses an UPDATE_PROFILE without one, the Python client ignores it. So it is
 * optional when reading (Python senders never set it) and required by `create()`.
 */
export class UpdateProfilePayload {
  @RequiredOnWrite(
    'the Rust client refuses UPDATE_PROFILE without it (the Python client ignores it)',
  )
  @IsOptional()
  @IsWireString()
  profile_id?: string;

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
