import { BaseRpcContext } from '@nestjs/microservices';
import type { MessageBusMessage } from '../message/message-bus-message';
import type { MetaData } from '../message/meta-data';
import type { InboundDelivery } from './inbound-delivery.interface';
import type { TransportName } from '../interfaces/transport-name';
import type { VerifiedToken } from '../trust/verified-token';

type MessageBusContextArgs = [MessageBusMessage, InboundDelivery];

/**
 * What a handler gets through `@Ctx()`: the message and where it came from. In guards,
 * interceptors and filters, `context.getType() === 'rpc'` and
 * `context.switchToRpc().getContext()` is this object.
 */
export class MessageBusContext extends BaseRpcContext<MessageBusContextArgs> {
  constructor(
    message: MessageBusMessage,
    delivery: InboundDelivery,
    private readonly verifiedToken?: VerifiedToken,
  ) {
    super([message, delivery]);
  }

  /** The service token's claims and header once verified (`verifyToken`); `undefined` otherwise. */
  getVerifiedToken(): VerifiedToken | undefined {
    return this.verifiedToken;
  }

  getMessage<TPayload extends object = object>(): MessageBusMessage<TPayload> {
    return this.args[0] as MessageBusMessage<TPayload>;
  }

  getMetaData(): MetaData {
    return this.args[0].meta_data;
  }

  getDelivery(): InboundDelivery {
    return this.args[1];
  }

  getTransport(): TransportName {
    return this.args[1].transport;
  }

  /** The queue or topic the message came from. */
  getSource(): string {
    return this.args[1].source;
  }

  /** 1 on the first delivery, then one more on each redelivery. */
  getAttempt(): number {
    return this.args[1].attempt;
  }
}
