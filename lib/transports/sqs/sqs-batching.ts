import { SQS_MAX_BATCH_BYTES, SQS_MAX_BATCH_ENTRIES } from './sqs.constants';

export interface BatchLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

export const SQS_BATCH_LIMITS: BatchLimits = {
  maxEntries: SQS_MAX_BATCH_ENTRIES,
  maxBytes: SQS_MAX_BATCH_BYTES,
};

/**
 * Splits entries, in order, into batches SQS accepts: at most `maxEntries` each, and at most
 * `maxBytes` in total. An entry larger than `maxBytes` on its own gets a batch of its own,
 * so SQS reports it as one failed entry instead of failing its neighbours too.
 */
export function chunkBatch<T>(
  entries: readonly T[],
  sizeOf: (entry: T) => number,
  limits: BatchLimits = SQS_BATCH_LIMITS,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const entry of entries) {
    const bytes = sizeOf(entry);
    if (
      current.length > 0 &&
      (current.length >= limits.maxEntries || currentBytes + bytes > limits.maxBytes)
    ) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(entry);
    currentBytes += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** The size SQS counts for a message: its body plus each attribute's name, type and value, in UTF-8 bytes. */
export function sqsMessageSize(
  body: string,
  attributes: Readonly<Record<string, string>> = {},
): number {
  let bytes = Buffer.byteLength(body, 'utf8');
  for (const [name, value] of Object.entries(attributes)) {
    bytes +=
      Buffer.byteLength(name, 'utf8') +
      Buffer.byteLength('String', 'utf8') +
      Buffer.byteLength(value, 'utf8');
  }
  return bytes;
}
