import { IsOptional } from 'class-validator';
import { ExactlyOneWith } from './validation/exactly-one-with.decorator';
import { IsNonBlankString } from './validation/is-non-blank-string.decorator';
import type { EventType } from './event-type.enum';
import type { InstructionType } from './instruction-type.enum';

/**
 * The `meta_data` of every message. Property names are the wire names, and their
 * declaration order is the Python client's field order, which the serialised JSON keeps.
 *
 * `created_at`, `token` and `idempotency_key` are only checked for being non-blank
 * strings, as the Python client does: other services send what it accepts.
 */
export class MetaData {
  @IsNonBlankString()
  source!: string;

  @IsNonBlankString()
  created_at!: string;

  @IsNonBlankString()
  token!: string;

  @IsNonBlankString()
  idempotency_key!: string;

  @ExactlyOneWith('event')
  instruction_type?: InstructionType | string;

  @IsOptional()
  @IsNonBlankString()
  event?: EventType | string;

  @IsOptional()
  @IsNonBlankString()
  ip_address?: string;
}
