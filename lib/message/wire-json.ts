/**
 * Serialises a JSON value exactly as Python's `json.dumps` does with its defaults, which is
 * what the Python client puts on the bus: `", "` and `": "` separators, and every character
 * outside printable ASCII escaped as `\uXXXX` (lower-case hex, surrogate pairs above U+FFFF).
 * Keys keep their insertion order, as Python dicts do.
 */
export function toWireJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return encodeString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(toWireJson).join(', ')}]`;
  if (typeof value === 'object') {
    const members: string[] = [];
    for (const [key, entry] of Object.entries(value)) {
      if (entry === undefined || typeof entry === 'function') continue;
      members.push(`${encodeString(key)}: ${toWireJson(entry)}`);
    }
    return `{${members.join(', ')}}`;
  }
  return 'null';
}

function encodeString(text: string): string {
  // JSON.stringify already escapes quotes, backslashes and C0 controls the way Python does;
  // what is left is every code unit above U+007E.
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
