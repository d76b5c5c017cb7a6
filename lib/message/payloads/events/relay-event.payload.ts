import { ValidateIf } from 'class-validator';
import type { NotificationSubject } from '../../notification-subject';
import type { JsonValue } from '../../untrusted-json';
import { IsJsonValue } from '../../validation/is-json-value.decorator';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsNotificationSubject } from '../../validation/is-notification-subject.decorator';
import { IsStringRecord } from '../../validation/is-string-record.decorator';

/** The shape the address-onboarding and Python relay events share: a user's email and string details. */
export abstract class RelayEventPayload {
  @IsNonBlankString()
  email!: string;

  @IsStringRecord()
  payload!: Record<string, string>;
}

/** Payload of an ADDRESS_ONBOARDED event (the same shape from both peers). */
export class AddressOnboardedEventPayload extends RelayEventPayload {}

/** Which peer's shape a two-shape payload arrived in (or was built in). */
export type PayloadDialect = 'python' | 'rust';

/** A relay event as the Python client sends it (`RelayInitiatedEventPayload`, …). */
export interface PythonRelayEvent {
  readonly dialect: 'python';
  email: string;
  payload: Record<string, string>;
}

/** A relay event as the Rust client sends it (a `CustomerNotificationPayload`). */
export interface RustRelayEvent {
  readonly dialect: 'rust';
  subject: NotificationSubject;
  data: JsonValue;
}

/** What a relay event handler receives: narrow it on `dialect`. */
export type RelayEvent = PythonRelayEvent | RustRelayEvent;

const hasPythonMembers = (o: TwoShapeRelayEventPayload): boolean =>
  o.email !== undefined || o.payload !== undefined;
const hasRustMembers = (o: TwoShapeRelayEventPayload): boolean =>
  o.subject !== undefined || o.data !== undefined;

/**
 * RELAY_INITIATED, RELAY_COMPLETED and RELAY_ONBOARDED carry `{email, payload}` from the
 * Python client and `{subject, data}` (a customer notification) from the Rust client. This
 * payload is valid as either: a payload with any Python member is held to the Python rules,
 * one with only Rust members to the Rust rules, and one with members of both to both (it is
 * what each peer reads; `dialect` says python). One with neither is told all four fields.
 * `dialect` (not a wire field) tells which shape arrived; a handler typed with `RelayEvent`
 * narrows on it. `create()` builds either shape from the fields given.
 */
export abstract class TwoShapeRelayEventPayload {
  @ValidateIf((o: TwoShapeRelayEventPayload) => hasPythonMembers(o) || !hasRustMembers(o))
  @IsNonBlankString()
  email?: string;

  @ValidateIf((o: TwoShapeRelayEventPayload) => hasPythonMembers(o) || !hasRustMembers(o))
  @IsStringRecord()
  payload?: Record<string, string>;

  @ValidateIf((o: TwoShapeRelayEventPayload) => hasRustMembers(o) || !hasPythonMembers(o))
  @IsNotificationSubject()
  subject?: NotificationSubject;

  @ValidateIf((o: TwoShapeRelayEventPayload) => hasRustMembers(o) || !hasPythonMembers(o))
  @IsJsonValue()
  data?: JsonValue;

  /** `rust` when only the Rust client's members are set, else `python`. */
  get dialect(): PayloadDialect {
    return hasPythonMembers(this) || !hasRustMembers(this) ? 'python' : 'rust';
  }

  /**
   * Ignored: `dialect` is not a wire field. The setter is there so that class-transformer (which
   * reads an app's subclass of this DTO) can copy an input member named `dialect` without throwing.
   */
  set dialect(_ignored: PayloadDialect) {}

  /** This payload as the union a handler narrows on `dialect`. */
  asRelayEvent(): RelayEvent {
    return this as unknown as RelayEvent;
  }
}

/** Payload of a RELAY_INITIATED event, in either peer's shape. */
export class RelayInitiatedEventPayload extends TwoShapeRelayEventPayload {}

/** Payload of a RELAY_COMPLETED event, in either peer's shape. */
export class RelayCompletedEventPayload extends TwoShapeRelayEventPayload {}

/** Payload of a RELAY_ONBOARDED event, in either peer's shape. */
export class RelayOnboardedEventPayload extends TwoShapeRelayEventPayload {}
