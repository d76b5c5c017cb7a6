/**
 * `nestjs-message-bus/redrive`: list and redrive dead letters. Loads no SDK by itself: the
 * redrivers work through the `SqsClient` or `KafkaClient` they are given.
 */
export type { DeadLetter, DeadLetterPosition } from './dead-letter.interface';
export type { DeadLetterFilter } from './dead-letter-filter.interface';
export type { DeadLetterRedriver } from './dead-letter-redriver.interface';
export type {
  ListDeadLettersOptions,
  RedriveOptions,
  RedriveProgress,
} from './redrive-options.interface';
export type { RedriveCounts, RedriveSummary } from './redrive-summary.interface';
export { RedriveOptionError } from './errors/redrive-option.error';
export {
  SqsDeadLetterRedriver,
  type SqsDeadLetterRedriverOptions,
} from './sqs-dead-letter.redriver';
export {
  KafkaDeadLetterRedriver,
  type KafkaDeadLetterRedriverOptions,
} from './kafka-dead-letter.redriver';
