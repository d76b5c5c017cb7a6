import type { MessageKind } from '../message/message-kind';

/** What a consumer does with a valid message no handler listens to. */
export type UnhandledAction = 'acknowledge' | 'dead-letter';

/** The `unhandled` setting of one consumer, per message kind. */
export type UnhandledPolicy = Readonly<Record<MessageKind, UnhandledAction>>;

/**
 * By default an event nobody here handles is acknowledged (a topic or queue carries many
 * event types; most are for other services), and an instruction nobody handles is
 * dead-lettered (it was sent to this service, so it is misrouted).
 */
export const DEFAULT_UNHANDLED_POLICY: UnhandledPolicy = Object.freeze({
  instruction: 'dead-letter',
  event: 'acknowledge',
});
