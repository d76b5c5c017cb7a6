import { IsOptional } from 'class-validator';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsWireString } from '../../validation/is-wire-string.decorator';

/**
 * Payload of a BANK_PAYMENT event (the Rust client's only; Python rejects it). The Rust client
 * writes an absent `message` as `null`; this library leaves it out, which the Rust client reads
 * the same way.
 */
export class BankPaymentEventPayload {
  @IsNonBlankString()
  transaction_id!: string;

  @IsNonBlankString()
  status!: string;

  @IsNonBlankString()
  reference!: string;

  @IsOptional()
  @IsWireString()
  message?: string;
}
