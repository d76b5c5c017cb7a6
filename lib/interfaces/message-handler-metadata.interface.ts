import type { HandlerIdempotency } from '../idempotency/idempotency-options.interface';
import type { MessageKind } from '../message/message-kind';

/** What @OnInstruction / @OnEvent record on a method. */
export interface MessageHandlerMetadata {
  readonly kind: MessageKind;
  readonly type: string;
  /** Only messages from this queue or topic; all sources when unset. */
  readonly source?: string;
  /** Messages reaching this handler have their service token verified first. */
  readonly verifyToken?: boolean;
  /** Idempotent handling for this handler: on, off, or on with its own key; unset follows the consumer's. */
  readonly idempotency?: HandlerIdempotency;
}

export interface MessageHandlerOptions {
  /** Only messages arriving on this queue or topic reach the handler. */
  source?: string;
  /**
   * Verify `meta_data.token` (module option `tokenVerification`) before the handler runs: a
   * message whose token fails is dead-lettered as `unauthenticated`. Default false (unless the
   * module's or the consumer's `verifyToken` is on).
   */
  verifyToken?: boolean;
  /**
   * Run at most once per idempotency key (`true`, or `{ key }` to choose the key); `false`
   * leaves this handler untracked where the consumer tracks. Unset follows the consumer's
   * `idempotency`, else the module's.
   */
  idempotency?: HandlerIdempotency;
}
