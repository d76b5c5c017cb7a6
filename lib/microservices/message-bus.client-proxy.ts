import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { MessageBusError } from '../errors/message-bus.error';
import { MessageBusMessage } from '../message/message-bus-message';
import {
  defaultMessageTypeRegistry,
  type MessageTypeRegistry,
} from '../message/message-type-registry';
import type { MessageBusPublisher } from '../publisher/message-bus.publisher';

/**
 * A `ClientProxy` over `MessageBusPublisher`, for code written against
 * `@nestjs/microservices`: `client.emit('payments', message)` publishes `message` (a
 * `MessageBusMessage` or its wire object) to the queue or topic named by the pattern.
 * A wire object is parsed with `registry`: the module's, when injected from `MessageBusModule`.
 * The bus is one-way, so `send()` fails with an error that says to use `emit()`.
 */
export class MessageBusClientProxy extends ClientProxy {
  constructor(
    private readonly publisher: MessageBusPublisher,
    private readonly registry: MessageTypeRegistry = defaultMessageTypeRegistry,
  ) {
    super();
  }

  async connect(): Promise<void> {}

  async close(): Promise<void> {}

  unwrap<T = MessageBusPublisher>(): T {
    return this.publisher as T;
  }

  protected async dispatchEvent<T = unknown>(packet: ReadPacket): Promise<T> {
    const message =
      packet.data instanceof MessageBusMessage
        ? packet.data
        : this.registry.parseMessage(packet.data as object);
    return (await this.publisher.publish(message, String(packet.pattern))) as T;
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({
      err: new MessageBusError(
        'The message bus is one-way: use emit(destination, message), not send()',
      ),
      isDisposed: true,
    });
    return () => undefined;
  }
}
