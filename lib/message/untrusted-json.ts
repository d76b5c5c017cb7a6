import { fieldPathOf, indexPathOf } from '../errors/bounded-failure-text';
import { MessageValidationError } from '../errors/message-validation.error';

/** Keys that could reach an object's prototype when copied onto it. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;
// Invalid bytes are an error, as in Python, rather than silently becoming U+FFFD.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Decodes untrusted input (a JSON text, its UTF-8 bytes, or an already parsed value)
 * into a fresh tree of plain JSON values: keys that could set a prototype are dropped,
 * non-JSON values (functions, class instances' methods) are left out, and nesting is bounded.
 */
export function toUntrustedJson(input: unknown): JsonValue {
  return copyJson(isJsonText(input) ? parseJsonText(input) : input, 'body', 0);
}

/**
 * Like toUntrustedJson, without the copy when the input is text or bytes: JSON.parse builds a
 * fresh tree, and callers read only the fields they know from it, copying (with the same
 * bounds and key filter) any object they keep. Parsed objects given directly are still copied.
 */
export function parseUntrustedJson(input: unknown): JsonValue {
  return isJsonText(input) ? (parseJsonText(input) as JsonValue) : copyJson(input, 'body', 0);
}

function isJsonText(input: unknown): input is string | Uint8Array {
  return typeof input === 'string' || input instanceof Uint8Array;
}

/** JSON.parse of a text or its UTF-8 bytes, each failure a MessageValidationError on `body`. */
function parseJsonText(input: string | Uint8Array): unknown {
  let text: string;
  try {
    text = typeof input === 'string' ? input : UTF8.decode(input);
  } catch {
    throw new MessageValidationError([{ field: 'body', problems: ['body is not valid UTF-8'] }]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new MessageValidationError([{ field: 'body', problems: ['body is not valid JSON'] }]);
  }
}

/** A fresh, bounded copy of an already parsed value (see toUntrustedJson); `path` names it in errors. */
export function copyUntrustedJson(value: unknown, path: string): JsonValue {
  return copyJson(value, path, 0);
}

function copyJson(value: unknown, path: string, depth: number): JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (depth >= MAX_DEPTH) {
    throw new MessageValidationError([
      { field: path, problems: [`${path} is nested more than ${MAX_DEPTH} levels deep`] },
    ]);
  }
  if (Array.isArray(value))
    return value.map((item, index) => copyJson(item, indexPathOf(path, index), depth + 1));
  if (typeof value === 'object') {
    const copy: { [key: string]: JsonValue } = {};
    for (const [key, entry] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key) || entry === undefined || typeof entry === 'function') continue;
      // Keys are the sender's: the path that names them in an error is bounded.
      copy[key] = copyJson(entry, fieldPathOf(path, key), depth + 1);
    }
    return copy;
  }
  return null;
}

export function isJsonObject(value: unknown): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
