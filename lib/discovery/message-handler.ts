import type { MessageHandlerMetadata } from '../interfaces/message-handler-metadata.interface';
import type { HandlerInvocation } from '../dispatch/handler-invocation';

/** A discovered handler, ready to call with Nest's guards, interceptors, pipes and filters around it. */
export interface MessageHandler extends MessageHandlerMetadata {
  /** `ClassName.methodName`, for logs and errors. */
  readonly name: string;
  readonly invoke: HandlerInvocation;
  /** Set when the handler reads nothing but its payload (`@Payload()` alone, no enhancer): `invoke` without a context. */
  readonly invokeWithPayload?: (payload: object) => unknown;
}
