import { IsOptional } from 'class-validator';
import { Direction } from '../../direction.enum';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsWireEnum } from '../../validation/is-wire-enum.decorator';

/** Payload of a PAYMENT instruction. */
export class PaymentPayload {
  @IsNonBlankString()
  external_reference!: string;

  @IsOptional()
  @IsNonBlankString()
  payer_name?: string;

  @IsNonBlankString()
  currency!: string;

  @IsNonBlankString()
  value!: string;

  @IsNonBlankString()
  source!: string;

  @IsNonBlankString()
  reference!: string;

  @IsWireEnum(Direction)
  direction!: Direction;

  @IsOptional()
  @IsNonBlankString()
  bank_account_number?: string;
}
