import { IsOptional } from 'class-validator';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsWireString } from '../../validation/is-wire-string.decorator';

/** Payload of a NEW_BANK_PAYMENT event. */
export class PaymentEventPayload {
  @IsNonBlankString()
  external_reference!: string;

  @IsOptional()
  @IsWireString()
  reference?: string;

  @IsNonBlankString()
  source!: string;
}
