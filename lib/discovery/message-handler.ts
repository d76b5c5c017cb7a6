import type { MessageHandlerMetadata } from '../interfaces/message-handler-metadata.interface';
import type { MessageBusContext } from '../dispatch/message-bus.context';

/** A discovered handler, ready to call with Nest's guards, interceptors, pipes and filters around it. */
export interface MessageHandler extends MessageHandlerMetadata {
  /** `ClassName.methodName`, for logs and errors. */
  readonly name: string;
  readonly invoke: (payload: object, context: MessageBusContext) => Promise<unknown>;
}
