import { MESSAGE_HANDLER_METADATA } from '../message-bus.constants';
import type {
  MessageHandlerMetadata,
  MessageHandlerOptions,
} from '../interfaces/message-handler-metadata.interface';
import type { MessageKind } from '../message/message-kind';

/**
 * Records a handler binding on a method. Bindings accumulate, so one method may carry
 * several decorators (e.g. two event types that it treats alike).
 */
export function MessageHandler(
  kind: MessageKind,
  type: string,
  sourceOrOptions?: string | MessageHandlerOptions,
): MethodDecorator {
  const source = typeof sourceOrOptions === 'string' ? sourceOrOptions : sourceOrOptions?.source;
  const verifyToken = typeof sourceOrOptions === 'object' && sourceOrOptions?.verifyToken === true;
  const idempotency = typeof sourceOrOptions === 'object' ? sourceOrOptions.idempotency : undefined;
  const binding: MessageHandlerMetadata = {
    kind,
    type,
    ...(source === undefined ? {} : { source }),
    ...(verifyToken ? { verifyToken } : {}),
    ...(idempotency === undefined ? {} : { idempotency }),
  };
  return (_target, _key, descriptor: PropertyDescriptor) => {
    const method = descriptor.value as object;
    const existing: MessageHandlerMetadata[] =
      Reflect.getMetadata(MESSAGE_HANDLER_METADATA, method) ?? [];
    Reflect.defineMetadata(MESSAGE_HANDLER_METADATA, [...existing, binding], method);
    return descriptor;
  };
}
