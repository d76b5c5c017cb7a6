import { Injectable } from '@nestjs/common';
import { MessageHandlerRegistry } from '../discovery/message-handler.registry';
import { MessageTypeRegistry } from '../message/message-type-registry';
import { DeliveryDispatcher } from '../dispatch/delivery-dispatcher';

/** The module's dispatcher: deliveries go to the @OnInstruction / @OnEvent handlers it discovered. */
@Injectable()
export class MessageDispatcher extends DeliveryDispatcher {
  constructor(handlers: MessageHandlerRegistry, messageTypes: MessageTypeRegistry) {
    super((message, source) => handlers.find(message.kind, message.type, source), messageTypes);
  }
}
