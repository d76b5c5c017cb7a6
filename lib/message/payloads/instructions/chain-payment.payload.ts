import { IsOptional } from 'class-validator';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsWireString } from '../../validation/is-wire-string.decorator';

/** Payload of a CHAIN_PAYMENT instruction (the Rust client's only; Python rejects it). */
export class ChainPaymentPayload {
  @IsNonBlankString()
  chain!: string;

  @IsNonBlankString()
  hash!: string;

  @IsNonBlankString()
  reference!: string;

  @IsNonBlankString()
  status!: string;

  @IsOptional()
  @IsWireString()
  transaction_id?: string;
}
