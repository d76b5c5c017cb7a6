import type { ValidationError } from 'class-validator';
import { fieldPathOf } from '../../errors/bounded-failure-text';
import type { MessageFieldIssue } from '../../errors/message-validation.error';

/**
 * Flattens class-validator's tree into issues keyed by wire path. Constraint messages start
 * with the bare property name; it is replaced by the full path so that every message says
 * `payload.currency is required`, not `currency is required`.
 */
export function toFieldIssues(
  errors: readonly ValidationError[],
  prefix: string,
): MessageFieldIssue[] {
  const issues: MessageFieldIssue[] = [];
  for (const error of errors) {
    // A nested property may be a key of the input: the path is bounded.
    const field = fieldPathOf(prefix, error.property);
    const problems = Object.values(error.constraints ?? {}).map((message) =>
      toFieldProblem(error.property, field, message),
    );
    if (problems.length > 0) issues.push({ field, problems });
    if (error.children?.length) issues.push(...toFieldIssues(error.children, field));
  }
  return issues;
}

/** One constraint message with its leading property name replaced by the full wire path. */
export function toFieldProblem(property: string, field: string, message: string): string {
  return message.startsWith(`${property} `)
    ? `${field}${message.slice(property.length)}`
    : `${field}: ${message}`;
}
