import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';

/** Payload of a TRANSACTION_STATUS_UPDATE event. */
export class TransactionStatusEventPayload {
  @IsNonBlankString()
  reference!: string;

  @IsNonBlankString()
  status!: string;
}
