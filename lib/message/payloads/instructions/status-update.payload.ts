import { IsOptional } from 'class-validator';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsWireString } from '../../validation/is-wire-string.decorator';

/** Payload of a STATUS_UPDATE instruction. `transaction_id` is the Rust client's; the Python client ignores it. */
export class StatusUpdatePayload {
  @IsNonBlankString()
  reference!: string;

  @IsNonBlankString()
  status!: string;

  @IsOptional()
  @IsWireString()
  message?: string;

  @IsOptional()
  @IsWireString()
  transaction_id?: string;
}
