import { ValidateIf } from 'class-validator';
import { TransactionType } from '../../transaction-type.enum';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsWireEnum } from '../../validation/is-wire-enum.decorator';

const isSet = (value: unknown): boolean => value !== undefined && value !== null;

/** Payload of a TRANSACTION instruction: a DEPOSIT names its payer, a WITHDRAW its payee. */
export class TransactionPayload {
  @IsNonBlankString()
  external_reference!: string;

  @IsNonBlankString()
  source!: string;

  @IsNonBlankString()
  reference!: string;

  @IsNonBlankString()
  first_name!: string;

  @IsNonBlankString()
  last_name!: string;

  @IsWireEnum(TransactionType)
  transaction_type!: TransactionType;

  @IsNonBlankString()
  status!: string;

  @IsNonBlankString()
  incoming_currency!: string;

  @IsNonBlankString()
  outgoing_currency!: string;

  @IsNonBlankString()
  value!: string;

  @IsNonBlankString()
  fee!: string;

  @ValidateIf(
    (o: TransactionPayload) => o.transaction_type === TransactionType.DEPOSIT || isSet(o.payer),
  )
  @IsNonBlankString({
    message: ({ value }) =>
      isSet(value)
        ? 'payer must be a non-blank string'
        : 'payer is required when transaction_type is DEPOSIT',
  })
  payer?: string;

  @ValidateIf(
    (o: TransactionPayload) => o.transaction_type === TransactionType.WITHDRAW || isSet(o.payee),
  )
  @IsNonBlankString({
    message: ({ value }) =>
      isSet(value)
        ? 'payee must be a non-blank string'
        : 'payee is required when transaction_type is WITHDRAW',
  })
  payee?: string;
}
