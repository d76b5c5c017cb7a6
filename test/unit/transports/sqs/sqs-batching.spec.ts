import { describe, expect, it } from 'vitest';
import { chunkBatch, sqsMessageSize } from '../../../../lib/transports/sqs/sqs-batching';

const range = (count: number): number[] => Array.from({ length: count }, (_, index) => index);

describe('chunkBatch', () => {
  it('splits 25 entries into 10, 10 and 5, keeping their order', () => {
    const chunks = chunkBatch(range(25), () => 1);
    expect(chunks.map((chunk) => chunk.length)).toEqual([10, 10, 5]);
    expect(chunks.flat()).toEqual(range(25));
  });

  it('returns no chunk for no entries', () => {
    expect(chunkBatch([], () => 1)).toEqual([]);
  });

  it('starts a new chunk before the byte limit would be passed', () => {
    const chunks = chunkBatch([40, 40, 30, 50, 1], (size) => size, {
      maxEntries: 10,
      maxBytes: 100,
    });
    expect(chunks).toEqual([
      [40, 40],
      [30, 50, 1],
    ]);
  });

  it('fills a chunk exactly to the byte limit', () => {
    expect(chunkBatch([50, 50, 1], (size) => size, { maxEntries: 10, maxBytes: 100 })).toEqual([
      [50, 50],
      [1],
    ]);
  });

  it('gives an entry over the byte limit a chunk of its own', () => {
    const chunks = chunkBatch([10, 500, 10], (size) => size, { maxEntries: 10, maxBytes: 100 });
    expect(chunks).toEqual([[10], [500], [10]]);
  });

  it('holds 10 messages of 30 KiB to the 256 KiB default, not to 10 entries', () => {
    const body = 'x'.repeat(30 * 1024);
    const chunks = chunkBatch(range(10), () => sqsMessageSize(body));
    expect(chunks.map((chunk) => chunk.length)).toEqual([8, 2]);
  });
});

describe('sqsMessageSize', () => {
  it('counts UTF-8 bytes of the body', () => {
    expect(sqsMessageSize('abc')).toBe(3);
    expect(sqsMessageSize('é€')).toBe(5);
  });

  it('adds each attribute name, type and value', () => {
    expect(sqsMessageSize('ab', { tenant: 'acme' })).toBe(2 + 6 + 'String'.length + 4);
  });
});
