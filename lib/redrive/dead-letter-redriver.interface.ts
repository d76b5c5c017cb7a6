import type { DeadLetter } from './dead-letter.interface';
import type { ListDeadLettersOptions, RedriveOptions } from './redrive-options.interface';
import type { RedriveSummary } from './redrive-summary.interface';

/** Lists and redrives the dead letters of one dead-letter queue or topic. */
export interface DeadLetterRedriver {
  /** The dead-letter queue or topic, for messages. */
  readonly source: string;
  /** How many dead letters wait (SQS: approximate; Kafka: records after the redrive group's offset). */
  count(): Promise<number>;
  /** Reads dead letters without changing anything. */
  list(options?: ListDeadLettersOptions): Promise<DeadLetter[]>;
  /** Copies dead letters to their origin (or `to`), removing each only once its copy is acknowledged. */
  redrive(options?: RedriveOptions): Promise<RedriveSummary>;
}
