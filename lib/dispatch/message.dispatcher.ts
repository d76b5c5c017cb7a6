import { ForbiddenException, Injectable, Logger } from '@nestjs/common';
import { MessageBusError } from '../errors/message-bus.error';
import { MessageValidationError } from '../errors/message-validation.error';
import { UnknownMessageTypeError } from '../errors/unknown-message-type.error';
import { MessageHandlerRegistry } from '../discovery/message-handler.registry';
import { MessageBusMessage } from '../message/message-bus-message';
import { MessageTypeRegistry } from '../message/message-type-registry';
import type { InboundDelivery } from '../transports/inbound-delivery.interface';
import { describeDelivery } from './delivery-description';
import type { DispatchOutcome } from './dispatch-outcome';
import { MessageBusContext } from './message-bus.context';

/**
 * Envelope → validate → invoke → outcome, the same for every transport. It never throws:
 * whatever happens to a delivery comes back as an outcome for the transport to act on.
 */
@Injectable()
export class MessageDispatcher {
  private readonly logger = new Logger('MessageBus');

  constructor(
    private readonly handlers: MessageHandlerRegistry,
    private readonly messageTypes: MessageTypeRegistry,
  ) {}

  async dispatch(delivery: InboundDelivery): Promise<DispatchOutcome> {
    let message: MessageBusMessage;
    try {
      message = MessageBusMessage.fromJSON(delivery.body, { registry: this.messageTypes });
    } catch (error) {
      const reason = error instanceof UnknownMessageTypeError ? 'unknown-type' : 'invalid-message';
      const known = error instanceof MessageValidationError ? error : new MessageBusError(String(error));
      this.logger.error(`Rejected ${describeDelivery(delivery)} as ${reason}: ${known.message}`);
      return { status: 'rejected', reason, error: known };
    }

    const handlers = this.handlers.find(message.kind, message.type, delivery.source);
    if (handlers.length === 0) {
      const error = new MessageBusError(
        `No handler listens to ${message.kind} ${message.type} on ${delivery.source}: ` +
          `add @${message.kind === 'instruction' ? 'OnInstruction' : 'OnEvent'}(${JSON.stringify(message.type)}) to a method`,
      );
      this.logger.error(`Rejected ${describeDelivery(delivery, message)}: ${error.message}`);
      return { status: 'rejected', reason: 'no-handler', error, message };
    }

    const context = new MessageBusContext(message, delivery);
    // Every handler of an event gets its turn even when an earlier one fails; a retry then
    // calls them all again, so event handlers must be idempotent (at-least-once delivery).
    let failure: unknown;
    let failures = 0;
    for (const handler of handlers) {
      try {
        await handler.invoke(message.payload, context);
      } catch (error) {
        failures += 1;
        failure ??= error;
        if (error instanceof ForbiddenException) {
          this.logger.error(`Rejected ${describeDelivery(delivery, message)}: a guard of ${handler.name} refused it`);
          return { status: 'rejected', reason: 'forbidden', error, message };
        }
        const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.logger.warn(`${handler.name} failed on ${describeDelivery(delivery, message)}: ${text}`);
      }
    }
    return failures === 0
      ? { status: 'handled', message, handlers: handlers.length }
      : { status: 'failed', message, error: failure };
  }
}
