import { Inject, Injectable } from '@nestjs/common';
import { MessageHandlerRegistry } from '../discovery/message-handler.registry';
import { MessageTypeRegistry } from '../message/message-type-registry';
import { DeliveryDispatcher } from '../dispatch/delivery-dispatcher';
import { MESSAGE_BUS_RESOLVED_OPTIONS } from '../message-bus.constants';
import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import { tokenStageOf } from '../trust/token-stage';

/** The module's dispatcher: deliveries go to the @OnInstruction / @OnEvent handlers it discovered. */
@Injectable()
export class MessageDispatcher extends DeliveryDispatcher {
  constructor(
    handlers: MessageHandlerRegistry,
    messageTypes: MessageTypeRegistry,
    @Inject(MESSAGE_BUS_RESOLVED_OPTIONS) options: ResolvedMessageBusOptions,
  ) {
    super(
      (message, source) => handlers.find(message.kind, message.type, source),
      messageTypes,
      tokenStageOf(options),
    );
  }
}
