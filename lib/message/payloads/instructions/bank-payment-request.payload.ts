import { IsOptional } from 'class-validator';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsWireString } from '../../validation/is-wire-string.decorator';

/** Payload of a BANK_PAYMENT_REQUEST instruction (the Rust client's only; Python rejects it). */
export class BankPaymentRequestPayload {
  @IsNonBlankString()
  reference!: string;

  @IsNonBlankString()
  value!: string;

  @IsNonBlankString()
  currency!: string;

  @IsNonBlankString()
  profile_id!: string;

  @IsOptional()
  @IsWireString()
  message?: string;
}
