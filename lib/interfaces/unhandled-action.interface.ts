/**
 * What becomes of a valid message that no handler takes: `acknowledge` drops it (an event
 * this service does not care about), `dead-letter` moves it aside with reason `no-handler`.
 */
export type UnhandledAction = 'acknowledge' | 'dead-letter';

/** The action for each kind of message, after the consumer and module settings are merged. */
export interface UnhandledPolicy {
  readonly instruction: UnhandledAction;
  readonly event: UnhandledAction;
}
