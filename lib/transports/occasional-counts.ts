import type { ConsumerStatus } from './transport.interface';

const OCCASIONAL_COUNTS = ['deadLetterFailures', 'unauthenticated', 'duplicate'] as const;

/** The counts a `ConsumerStatus` carries only once there is one, so a consumer without any reads as before. */
export type OccasionalCounts = Partial<Record<(typeof OCCASIONAL_COUNTS)[number], number>>;

/** `status` with each of `counts` that is above zero. */
export function withOccasionalCounts(
  status: ConsumerStatus,
  counts: OccasionalCounts,
): ConsumerStatus {
  const reported: OccasionalCounts = {};
  for (const name of OCCASIONAL_COUNTS) {
    const value = counts[name] ?? 0;
    if (value > 0) reported[name] = value;
  }
  return { ...status, ...reported };
}

/** The occasional counts of several statuses added up (the members of one Kafka consumer). */
export function sumOccasionalCounts(statuses: readonly ConsumerStatus[]): OccasionalCounts {
  const total: OccasionalCounts = {};
  for (const name of OCCASIONAL_COUNTS) {
    total[name] = statuses.reduce((sum, status) => sum + (status[name] ?? 0), 0);
  }
  return total;
}
