import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { MessageBusContext } from '../dispatch/message-bus.context';

/** The message's `meta_data` (source, type, created_at, idempotency_key, ...). */
export const MessageMeta = createParamDecorator(
  (_data: unknown, context: ExecutionContext) =>
    context.switchToRpc().getContext<MessageBusContext>().getMessage().meta_data,
);

/** The whole validated `MessageBusMessage`. */
export const BusMessage = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  context.switchToRpc().getContext<MessageBusContext>().getMessage(),
);
