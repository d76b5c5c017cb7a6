import type { DeadLetter } from './dead-letter.interface';
import type { DeadLetterFilter } from './dead-letter-filter.interface';

/** Why `letter` does not pass `filter`, or `undefined` when it does. */
export function filterMismatch(
  letter: DeadLetter,
  filter: DeadLetterFilter = {},
): string | undefined {
  if (filter.reason !== undefined && !(letter.reason ?? '').startsWith(filter.reason)) {
    return 'reason does not match';
  }
  if (filter.messageType !== undefined && letter.messageType !== filter.messageType) {
    return 'type does not match';
  }
  if (filter.olderThanMs !== undefined && !((letter.ageMs ?? -1) >= filter.olderThanMs)) {
    return 'newer than --older-than';
  }
  if (
    filter.newerThanMs !== undefined &&
    !(letter.ageMs !== undefined && letter.ageMs <= filter.newerThanMs)
  ) {
    return 'older than --newer-than';
  }
  return undefined;
}

/**
 * The message type of a body that is a bus envelope: `meta_data.instruction_type`, which wins
 * as the Python client reads it, else `meta_data.event`. `undefined` for anything else.
 */
export function messageTypeOf(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const meta = (parsed as { meta_data?: unknown }).meta_data;
  if (meta === null || typeof meta !== 'object') return undefined;
  const { instruction_type: instruction, event } = meta as Record<string, unknown>;
  if (typeof instruction === 'string' && instruction !== '') return instruction;
  return typeof event === 'string' && event !== '' ? event : undefined;
}

/** A time read from a `bus-failed-at` header or a broker timestamp in epoch milliseconds. */
export function timeOf(isoOrEpochMs: string | undefined): Date | undefined {
  if (isoOrEpochMs === undefined || isoOrEpochMs === '') return undefined;
  const time = /^\d+$/.test(isoOrEpochMs) ? Number(isoOrEpochMs) : Date.parse(isoOrEpochMs);
  return Number.isFinite(time) ? new Date(time) : undefined;
}
