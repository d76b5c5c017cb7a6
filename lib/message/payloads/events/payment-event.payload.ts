import { IsOptional } from 'class-validator';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';

/** Payload of a NEW_BANK_PAYMENT event. */
export class PaymentEventPayload {
  @IsNonBlankString()
  external_reference!: string;

  @IsOptional()
  @IsNonBlankString()
  reference?: string;

  @IsNonBlankString()
  source!: string;
}
