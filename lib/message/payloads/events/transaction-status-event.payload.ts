import { IsOptional } from 'class-validator';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsWireString } from '../../validation/is-wire-string.decorator';

/**
 * Payload of a TRANSACTION_STATUS_UPDATE event. `external_reference` is the Rust client's
 * (first, as it writes it); the Python client ignores it. The Rust client writes it as `null`
 * when absent; this library leaves it out (as it does every unset field), which the Rust
 * client reads the same way and which keeps the message byte for byte the Python client's.
 */
export class TransactionStatusEventPayload {
  @IsOptional()
  @IsWireString()
  external_reference?: string;

  @IsNonBlankString()
  reference!: string;

  @IsNonBlankString()
  status!: string;
}
