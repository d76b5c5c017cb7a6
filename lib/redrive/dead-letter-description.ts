import type { DeadLetter } from './dead-letter.interface';
import { messageTypeOf, timeOf } from './dead-letter-filter';

/** What a transport read of one dead letter, for `describeDeadLetter`. */
export interface DeadLetterReading {
  readonly id: string;
  readonly partition?: number;
  readonly offset?: string;
  /** Every `bus-*` attribute or header, as text. */
  readonly busHeaders: Readonly<Record<string, string>>;
  /** The names of the reason, origin and failed-at headers on this transport. */
  readonly names: { readonly reason: string; readonly origin: string; readonly failedAt: string };
  /** When the broker stored it, epoch milliseconds as text: the age without `bus-failed-at`. */
  readonly storedAt?: string;
  readonly body: Buffer;
  readonly truncated: boolean;
}

/** The `DeadLetter` of a reading: reason, origin, type and age from its headers and body. */
export function describeDeadLetter(reading: DeadLetterReading): DeadLetter {
  const { busHeaders, names } = reading;
  const failedAt = timeOf(busHeaders[names.failedAt]) ?? timeOf(reading.storedAt);
  const messageType = messageTypeOf(reading.body.toString('utf8'));
  const reason = busHeaders[names.reason];
  const origin = busHeaders[names.origin];
  return {
    id: reading.id,
    ...(reading.partition !== undefined ? { partition: reading.partition } : {}),
    ...(reading.offset !== undefined ? { offset: reading.offset } : {}),
    busHeaders,
    truncated: reading.truncated,
    bodyBytes: reading.body.length,
    ...(reason !== undefined ? { reason } : {}),
    ...(origin !== undefined ? { origin } : {}),
    ...(messageType !== undefined ? { messageType } : {}),
    ...(failedAt !== undefined ? { failedAt, ageMs: Date.now() - failedAt.getTime() } : {}),
  };
}
