import { ForbiddenException, Logger } from '@nestjs/common';
import { MessageBusError } from '../errors/message-bus.error';
import { MessageValidationError } from '../errors/message-validation.error';
import { UnknownMessageTypeError } from '../errors/unknown-message-type.error';
import { MessageBusMessage } from '../message/message-bus-message';
import type { MessageTypeRegistry } from '../message/message-type-registry';
import type { InboundDelivery } from '../transports/inbound-delivery.interface';
import { describeDelivery } from './delivery-description';
import type { DispatchOutcome } from './dispatch-outcome';
import { MessageBusContext } from './message-bus.context';

/** A handler as the dispatcher sees it: a name for logs and a call. */
export interface DispatchTarget {
  readonly name: string;
  readonly invoke: (payload: object, context: MessageBusContext) => Promise<unknown>;
}

/** Finds the handlers one message reaches; empty when none listens. */
export type DispatchTargetLookup = (
  message: MessageBusMessage,
  source: string,
) => readonly DispatchTarget[];

/**
 * Envelope → validate → invoke → outcome, the same for every transport and for both ways of
 * running handlers (the module's own handlers, or a microservice's patterns). It never
 * throws: whatever happens to a delivery comes back as an outcome for the transport.
 */
export class DeliveryDispatcher {
  private readonly logger = new Logger('MessageBus');

  constructor(
    private readonly lookup: DispatchTargetLookup,
    private readonly messageTypes: MessageTypeRegistry,
  ) {}

  async dispatch(delivery: InboundDelivery): Promise<DispatchOutcome> {
    let message: MessageBusMessage;
    try {
      message = MessageBusMessage.fromJSON(delivery.body, { registry: this.messageTypes });
    } catch (error) {
      const reason = error instanceof UnknownMessageTypeError ? 'unknown-type' : 'invalid-message';
      const known =
        error instanceof MessageValidationError ? error : new MessageBusError(String(error));
      this.logger.error(`Rejected ${describeDelivery(delivery)} as ${reason}: ${known.message}`);
      return { status: 'rejected', reason, error: known };
    }

    const targets = this.lookup(message, delivery.source);
    if (targets.length === 0) {
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
    for (const target of targets) {
      try {
        await target.invoke(message.payload, context);
      } catch (error) {
        if (error instanceof ForbiddenException) {
          this.logger.error(
            `Rejected ${describeDelivery(delivery, message)}: a guard of ${target.name} refused it`,
          );
          return { status: 'rejected', reason: 'forbidden', error, message };
        }
        failures += 1;
        failure ??= error;
        const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.logger.warn(
          `${target.name} failed on ${describeDelivery(delivery, message)}: ${text}`,
        );
      }
    }
    return failures === 0
      ? { status: 'handled', message, handlers: targets.length }
      : { status: 'failed', message, error: failure };
  }
}
