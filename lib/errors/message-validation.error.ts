import { listProblems } from './bounded-failure-text';
import { MessageBusError } from './message-bus.error';

/** One offending field, named by its path on the wire (`payload.currency`, `meta_data.token`). */
export interface MessageFieldIssue {
  readonly field: string;
  readonly problems: readonly string[];
}

/**
 * A message, or the input meant to become one, broke the envelope or payload rules.
 * The message names the offending fields (the first few, then how many more: the input
 * decides how many there are); `issues` carries all of them as data.
 * Neither ever contains a field's value: values may be tokens or personal data.
 */
export class MessageValidationError extends MessageBusError {
  override readonly name: string = 'MessageValidationError';
  readonly issues: readonly MessageFieldIssue[];

  constructor(issues: readonly MessageFieldIssue[], summary = 'Invalid message') {
    super(`${summary}: ${listProblems(issues.flatMap((issue) => issue.problems))}`);
    this.issues = issues;
  }

  /** The wire paths of the offending fields, in the order they were found. */
  get fields(): string[] {
    return this.issues.map((issue) => issue.field);
  }
}
