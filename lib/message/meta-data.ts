import { IsOptional } from 'class-validator';
import { IsNonBlankString } from './validation/is-non-blank-string.decorator';
import { IsWireString } from './validation/is-wire-string.decorator';
import { WinsOver } from './validation/wins-over.decorator';
import type { EventType } from './event-type.enum';
import type { InstructionType } from './instruction-type.enum';

/**
 * The `meta_data` of every message. Property names are the wire names, and their
 * declaration order is the Python client's field order, which the serialised JSON keeps.
 *
 * `created_at`, `token` and `idempotency_key` are only checked for being non-blank
 * strings, as the Python client does: other services send what it accepts. `ip_address` may
 * be blank. A `meta_data` with both `instruction_type` and `event` is read as the Python client
 * reads it: the instruction decides, and `event` must still name a known event; this library
 * never writes both (`MessageBusMessage.toDict`).
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

  @WinsOver('event')
  instruction_type?: InstructionType | string;

  @IsOptional()
  @IsNonBlankString()
  event?: EventType | string;

  @IsOptional()
  @IsWireString()
  ip_address?: string;
}
