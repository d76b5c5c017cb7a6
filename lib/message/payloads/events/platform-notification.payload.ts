import { IsOptional } from 'class-validator';
import { Severity } from '../../severity.enum';
import type { JsonValue } from '../../untrusted-json';
import { IsJsonValue } from '../../validation/is-json-value.decorator';
import { IsWireEnum } from '../../validation/is-wire-enum.decorator';
import { IsWireString } from '../../validation/is-wire-string.decorator';

/**
 * Payload of the Rust client's platform notifications (RELAY_FAILED, TRANSACTION_HELD_ALERT, …;
 * the README's type table lists them): a lower-case severity, any JSON `data` (`null` included)
 * kept exactly as sent, and a free-form subject such as `relay:<id>`. The Python client
 * rejects these events.
 */
export class PlatformNotificationPayload {
  @IsWireEnum(Severity)
  severity!: Severity;

  @IsJsonValue()
  data!: JsonValue;

  @IsOptional()
  @IsWireString()
  subject?: string;
}
