import type {
  MemoryBusObserver,
  MemoryDeadLetterRecord,
  MemoryPublishedRecord,
} from './memory-records';

/** How many records of each kind are kept for inspection; older ones are dropped. */
const RECORD_LIMIT = 10_000;

/** Keeps the latest published and dead-lettered messages of an in-memory bus, bounded. */
export class MemoryBusRecords implements MemoryBusObserver {
  readonly publishedRecords: MemoryPublishedRecord[] = [];
  readonly deadLetterRecords: MemoryDeadLetterRecord[] = [];

  published(record: MemoryPublishedRecord): void {
    keepBounded(this.publishedRecords, record);
  }

  deadLettered(record: MemoryDeadLetterRecord): void {
    keepBounded(this.deadLetterRecords, record);
  }

  clear(): void {
    this.publishedRecords.length = 0;
    this.deadLetterRecords.length = 0;
  }
}

export function keepBounded<T>(records: T[], record: T): void {
  records.push(record);
  if (records.length > RECORD_LIMIT) records.splice(0, records.length - RECORD_LIMIT);
}
