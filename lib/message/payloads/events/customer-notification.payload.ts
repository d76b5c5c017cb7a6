import type { NotificationSubject } from '../../notification-subject';
import type { JsonValue } from '../../untrusted-json';
import { IsJsonValue } from '../../validation/is-json-value.decorator';
import { IsNotificationSubject } from '../../validation/is-notification-subject.decorator';

/**
 * Payload of the Rust client's customer notifications (MINT_COMPLETED, DEPOSIT_FAILED, …; the
 * README's type table lists them): what it is about, and the template values, any JSON value
 * (`null` included) kept exactly as sent. The Python client rejects these events.
 */
export class CustomerNotificationPayload {
  @IsNotificationSubject()
  subject!: NotificationSubject;

  @IsJsonValue()
  data!: JsonValue;
}
