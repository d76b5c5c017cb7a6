import { ValidateIf } from 'class-validator';
import { TransactionType } from '../../transaction-type.enum';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsWireEnum } from '../../validation/is-wire-enum.decorator';
import { IsWireString } from '../../validation/is-wire-string.decorator';

const isSet = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * Payload of a TRANSACTION instruction: a DEPOSIT names its payer, a WITHDRAW its payee. Both are
 * optional strings otherwise, and, as in the Python client, any string counts as naming one.
 */
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

  // Only absence counts, as in both peers: a DEPOSIT with `payer: ""` is accepted.
  @ValidateIf(
    (o: TransactionPayload) => o.transaction_type === TransactionType.DEPOSIT || isSet(o.payer),
  )
  @IsWireString({
    message: ({ value }) =>
      isSet(value)
        ? 'payer must be a string'
        : 'payer is required when transaction_type is DEPOSIT',
  })
  payer?: string;

  @ValidateIf(
    (o: TransactionPayload) => o.transaction_type === TransactionType.WITHDRAW || isSet(o.payee),
  )
  @IsWireString({
    message: ({ value }) =>
      isSet(value)
        ? 'payee must be a string'
        : 'payee is required when transaction_type is WITHDRAW',
  })
  payee?: string;
}
