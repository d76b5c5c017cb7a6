import { IsOptional } from 'class-validator';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsWireString } from '../../validation/is-wire-string.decorator';

/** The fields MINT and BURN share: an amount of a currency on a chain. */
export abstract class TokenSupplyPayload {
  @IsNonBlankString()
  value!: string;

  @IsNonBlankString()
  currency!: string;

  @IsNonBlankString()
  reference!: string;

  @IsNonBlankString()
  chain!: string;

  @IsOptional()
  @IsWireString()
  message?: string;
}
