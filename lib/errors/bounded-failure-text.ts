/**
 * Bounds on text that describes a failure: dead-letter reasons (Kafka headers, SQS
 * attributes), log lines and validation messages. Their content can be chosen by whoever sent
 * the message (a key path, a list of bad fields), so none of it may grow with the input: a
 * reason as long as the value would push its dead letter over the broker's size limit and
 * write a log line as large as the message.
 */

/** Longest failure text, in UTF-8 bytes, a dead letter or a log line carries. */
export const FAILURE_TEXT_MAX_BYTES = 1_024;
/** Longest single key of a field path built from untrusted input, in characters. */
export const FIELD_SEGMENT_MAX_LENGTH = 64;
/** Longest field path, in characters: its start and its end are kept. */
export const FIELD_PATH_MAX_LENGTH = 256;
/** How many problems a validation message lists before `and N more`. */
export const LISTED_PROBLEMS_MAX = 20;

const ELLIPSIS = '…';
const ELLIPSIS_BYTES = 3;

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes (never inside a character), ending in `…` when
 * it was cut. Call it on every reason before it goes into a dead letter or a log line.
 */
export function boundFailureText(text: string, maxBytes = FAILURE_TEXT_MAX_BYTES): string {
  // Most reasons are short ASCII: a length check settles them without encoding.
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  if (maxBytes < ELLIPSIS_BYTES) return '';
  return `${utf8Prefix(text, maxBytes - ELLIPSIS_BYTES)}${ELLIPSIS}`;
}

/** The longest start of `text` that is at most `maxBytes` UTF-8 bytes, whole characters only. */
export function utf8Prefix(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += char.length;
  }
  return text.slice(0, end);
}

/**
 * `prefix.key` with `key` (untrusted: a JSON object's key) cut to FIELD_SEGMENT_MAX_LENGTH and
 * the whole path to FIELD_PATH_MAX_LENGTH, keeping its start and its end.
 */
export function fieldPathOf(prefix: string, key: string): string {
  const segment =
    key.length > FIELD_SEGMENT_MAX_LENGTH
      ? `${key.slice(0, FIELD_SEGMENT_MAX_LENGTH - 1)}${ELLIPSIS}`
      : key;
  return boundFieldPath(`${prefix}.${segment}`);
}

/** `prefix[index]`, the whole path bounded as in `fieldPathOf`. */
export function indexPathOf(prefix: string, index: number): string {
  return boundFieldPath(`${prefix}[${index}]`);
}

/** A field path of at most FIELD_PATH_MAX_LENGTH characters: its start, `…`, its end. */
export function boundFieldPath(path: string): string {
  if (path.length <= FIELD_PATH_MAX_LENGTH) return path;
  const head = Math.ceil((FIELD_PATH_MAX_LENGTH - 1) / 2);
  const tail = FIELD_PATH_MAX_LENGTH - 1 - head;
  return `${path.slice(0, head)}${ELLIPSIS}${path.slice(path.length - tail)}`;
}

/** The first LISTED_PROBLEMS_MAX problems joined by `; `, then `and N more` if there are more. */
export function listProblems(problems: readonly string[]): string {
  if (problems.length <= LISTED_PROBLEMS_MAX) return problems.join('; ');
  const more = problems.length - LISTED_PROBLEMS_MAX;
  return `${problems.slice(0, LISTED_PROBLEMS_MAX).join('; ')}; and ${more} more`;
}
