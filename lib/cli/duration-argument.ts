import { InvalidArgumentError } from 'commander';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Parses `90s`, `15m`, `2h`, `7d` or plain milliseconds, for `--older-than` / `--newer-than`. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!match) {
    throw new InvalidArgumentError('Give a duration such as 90s, 15m, 2h or 7d.');
  }
  return Number(match[1]) * UNIT_MS[match[2] ?? 'ms'];
}

/** Parses a whole number of at least 1, for `--limit`. */
export function parsePositiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError('Give a whole number of at least 1.');
  }
  return value;
}

/** Parses a number above 0, for `--rate` (messages per second). */
export function parsePositiveNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError('Give a number above 0, e.g. 5 or 0.5.');
  }
  return value;
}
