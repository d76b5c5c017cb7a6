import { TransactionType } from '../../transaction-type.enum';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsWireEnum } from '../../validation/is-wire-enum.decorator';

/** Payload of a NEW_TRANSACTION event. */
export class NewTransactionEventPayload {
  @IsNonBlankString()
  created_at!: string;

  @IsWireEnum(TransactionType)
  kind!: TransactionType;

  @IsNonBlankString()
  reference!: string;

  @IsNonBlankString()
  source!: string;
}
