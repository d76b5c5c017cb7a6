import { Inject, Injectable } from '@nestjs/common';
import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import { MESSAGE_BUS_RESOLVED_OPTIONS } from '../message-bus.constants';
import type { MessageBusMessage } from '../message/message-bus-message';
import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import { MessageTransports } from '../transports/message-transports';
import type { PublishOptions, PublishReceipt } from '../transports/transport.interface';
import type { TransportName } from '../interfaces/transport-name';

export interface PublisherPublishOptions extends PublishOptions {
  /** Send on this bus instead of the module's default `transport`. Ignored on the in-memory bus. */
  transport?: Exclude<TransportName, 'memory'>;
}

/** Sends messages without caring which bus carries them: the module's `transport` decides. */
@Injectable()
export class MessageBusPublisher {
  constructor(
    @Inject(MESSAGE_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedMessageBusOptions,
    private readonly transports: MessageTransports,
  ) {}

  /**
   * Publishes to a queue (SQS) or topic (Kafka) named `destination`. Every failure, a bad
   * argument included, rejects the promise: nothing is thrown synchronously.
   */
  async publish(
    message: MessageBusMessage,
    destination: string,
    options: PublisherPublishOptions = {},
  ): Promise<PublishReceipt> {
    if (typeof destination !== 'string' || destination.trim() === '') {
      throw new MessageBusConfigurationError('destination', 'must name a queue or topic');
    }
    const { transport, ...publishOptions } = options;
    const name =
      this.options.transport === 'memory' ? 'memory' : (transport ?? this.options.transport);
    return this.transports.get(name).publish(message, destination, publishOptions);
  }
}
