import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';

/**
 * The checks every option and argument goes through, in one place so that the same mistake
 * reads the same wherever it is made. The `is*` predicates and `*Problem` texts serve callers
 * that throw an error of their own (an SDK argument error, say); the rest throw
 * `MessageBusConfigurationError` naming the setting.
 */

export function isNonBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

export function isWholeNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** `must be a whole number from 1 to 10 (got 0)`, or `of at least 1` when there is no upper bound. */
export function wholeNumberProblem(value: unknown, min: number, max: number): string {
  const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
  return `must be a whole number ${range} (got ${String(value)})`;
}

export function wholeNumber(
  value: unknown,
  setting: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (!isWholeNumberIn(value, min, max)) {
    throw new MessageBusConfigurationError(setting, wholeNumberProblem(value, min, max));
  }
  return value;
}

/** A name that must be there: a queue, a topic, a group. */
export function requiredName(value: unknown, setting: string, note = ''): string {
  if (!isNonBlank(value)) {
    throw new MessageBusConfigurationError(
      setting,
      `is required and must be a non-blank string${note}`,
    );
  }
  return value;
}

/** A name that may be left out, but not blank. */
export function optionalName(value: unknown, setting: string, note = ''): string | undefined {
  if (value === undefined) return undefined;
  if (!isNonBlank(value)) {
    throw new MessageBusConfigurationError(setting, `must be a non-blank string${note}`);
  }
  return value;
}

/** One of a fixed set of values, or undefined when unset. */
export function optionalChoice<T extends string>(
  value: unknown,
  allowed: readonly T[],
  setting: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) {
    throw new MessageBusConfigurationError(
      setting,
      `must be one of ${allowed.map((choice) => `'${choice}'`).join(', ')} (got ${shown(value)})`,
    );
  }
  return value as T;
}

/** A wrong value as the message shows it: JSON where it has one, else its type. */
function shown(value: unknown): string {
  return JSON.stringify(value) ?? typeof value;
}

/**
 * Every option key a section takes, as a record so the compiler insists the list is complete:
 * a key added to the options interface and forgotten here fails to compile.
 */
export type OptionKeys<T> = Readonly<Record<keyof Required<T>, true>>;

/**
 * Refuses keys a section does not know (a `consumer:` typo for `consumers:` would otherwise
 * start an app with no consumers), naming each with the nearest known key when one is close.
 * `path` is the section's own setting, e.g. `consumers.sqs[0]`; empty at the top level.
 */
export function rejectUnknownKeys(
  section: unknown,
  known: Readonly<Record<string, true>>,
  path: string,
): void {
  if (typeof section !== 'object' || section === null || Array.isArray(section)) return;
  const knownKeys = Object.keys(known);
  const unknown = Object.keys(section).filter((key) => !Object.hasOwn(known, key));
  if (unknown.length === 0) return;
  const named = unknown.map((key) => {
    const setting = path === '' ? key : `${path}.${key}`;
    const nearest = nearestKey(key, knownKeys);
    return { setting, hint: nearest ? ` (did you mean ${nearest}?)` : '' };
  });
  if (named.length === 1) {
    throw new MessageBusConfigurationError(named[0].setting, `is not an option${named[0].hint}`);
  }
  const listed = named.map(({ setting, hint }) => `${setting}${hint}`);
  throw new MessageBusConfigurationError(
    `${listed.slice(0, -1).join(', ')} and ${listed[listed.length - 1]}`,
    'are not options',
  );
}

/** The known key closest to a typo, if it is close enough to be the one meant. */
function nearestKey(key: string, candidates: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: { key: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  if (!best) return undefined;
  const allowed = Math.max(2, Math.floor(Math.max(key.length, best.key.length) / 3));
  return best.distance <= allowed ? best.key : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

/** true or false, or undefined when unset. */
export function optionalFlag(value: unknown, setting: string): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new MessageBusConfigurationError(setting, `must be true or false (got ${shown(value)})`);
}
