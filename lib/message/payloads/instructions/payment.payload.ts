import { IsOptional } from 'class-validator';
import { Direction } from '../../direction.enum';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsWireString } from '../../validation/is-wire-string.decorator';
import { IsWireEnum } from '../../validation/is-wire-enum.decorator';

/** Payload of a PAYMENT instruction. */
export class PaymentPayload {
  @IsNonBlankString()
  external_reference!: string;

  @IsOptional()
  @IsWireString()
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
  @IsWireString()
  bank_account_number?: string;
}
