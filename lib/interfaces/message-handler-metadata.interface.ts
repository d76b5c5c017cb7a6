import type { MessageKind } from '../message/message-kind';

/** What @OnInstruction / @OnEvent record on a method. */
export interface MessageHandlerMetadata {
  readonly kind: MessageKind;
  readonly type: string;
  /** Only messages from this queue or topic; all sources when unset. */
  readonly source?: string;
}

export interface MessageHandlerOptions {
  /** Only messages arriving on this queue or topic reach the handler. */
  source?: string;
}
