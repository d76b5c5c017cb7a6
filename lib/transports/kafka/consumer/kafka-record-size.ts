import type { IHeaders, Message } from 'kafkajs';

/**
 * Bytes of a record batch around one record, headers excluded: the batch header (61) plus the
 * record's fixed fields and varints, each varint counted at its longest (5 bytes) so that the
 * estimate is never below what the broker measures (uncompressed, as the client sends).
 */
const ONE_RECORD_BATCH_OVERHEAD = 61 + 1 + 6 * 5;
/** The two varints (name length, value length) in front of each header. */
const HEADER_OVERHEAD = 2 * 5;

/** What the broker compares with the topic's `max.message.bytes` for a batch of `record` alone: an upper bound. */
export function kafkaRecordBatchBytes(record: Message): number {
  return (
    ONE_RECORD_BATCH_OVERHEAD +
    bytesOf(record.key) +
    bytesOf(record.value) +
    headerBytes(record.headers)
  );
}

/** The encoded size of `headers`, varints counted at their longest. */
export function headerBytes(headers: IHeaders | undefined): number {
  let total = 0;
  for (const [name, value] of Object.entries(headers ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) {
      if (one !== undefined)
        total += HEADER_OVERHEAD + Buffer.byteLength(name, 'utf8') + bytesOf(one);
    }
  }
  return total;
}

/** Bytes of a key or value as kafkajs encodes it (a string as UTF-8). */
export function bytesOf(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
}
