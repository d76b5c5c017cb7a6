import type { MessageBusMessage } from '../message/message-bus-message';
import type { InboundDelivery } from './inbound-delivery.interface';

/**
 * The facts a log line about a delivery may carry: type, idempotency key, source, attempt.
 * Never the token, never the payload: those may be secrets or personal data.
 */
export function describeDelivery(delivery: InboundDelivery, message?: MessageBusMessage): string {
  const what = message
    ? `${message.type} (idempotency_key ${message.meta_data.idempotency_key})`
    : 'message';
  const where =
    delivery.partition !== undefined
      ? `${delivery.transport}:${delivery.source}[${delivery.partition}]@${delivery.offset}`
      : `${delivery.transport}:${delivery.source}${delivery.messageId ? ` id ${delivery.messageId}` : ''}`;
  return `${what} from ${where}, attempt ${delivery.attempt}`;
}
