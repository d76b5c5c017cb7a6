import { MessageBusError } from './message-bus.error';

/** Handlers live as long as the app; a request-scoped class has no request to belong to here. */
export class RequestScopedHandlerError extends MessageBusError {
  override readonly name: string = 'RequestScopedHandlerError';

  constructor(readonly handler: string) {
    super(
      `${handler} is a message handler in a request-scoped (or transient) class, which the message bus does not support: ` +
        'make the class a default-scoped singleton and inject request-scoped dependencies through ModuleRef.resolve() per message',
    );
  }
}
