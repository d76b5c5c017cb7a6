import { MessageBusError } from './message-bus.error';

/** A consumer was to start in an app whose module options say `consume: false`. */
export class ConsumptionDisabledError extends MessageBusError {
  override readonly name: string = 'ConsumptionDisabledError';

  constructor(readonly consumer: string) {
    super(
      `${consumer} cannot start: this app only publishes (consume: false in the MessageBusModule options); ` +
        'drop consume: false, or start the consumer in an instance that consumes',
    );
  }
}
