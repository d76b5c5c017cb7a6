import { Inject, Injectable } from '@nestjs/common';
import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import { MESSAGE_BUS_RESOLVED_OPTIONS } from '../message-bus.constants';
import { MessageValidationError } from '../errors/message-validation.error';
import { looksLikeEnvelope, type OutgoingMessage } from '../message/message-body';
import { MessageBusMessage, type CreateMessageOptions } from '../message/message-bus-message';
import { resolveServiceToken, type ServiceTokenSource } from '../trust/service-token';
import { MessageTypeRegistry } from '../message/message-type-registry';
import { PublishTracer } from '../telemetry/publish.tracer';
import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import { MessageTransports } from '../transports/message-transports';
import type { PublishOptions, PublishReceipt } from '../transports/transport.interface';
import type { TransportName } from '../interfaces/transport-name';

export interface PublisherPublishOptions extends PublishOptions {
  /** Send on this bus instead of the module's default `transport`. Ignored on the in-memory bus. */
  transport?: Exclude<TransportName, 'memory'>;
}

/** `MessageBusMessage.create`'s options, the token optional: the module's `serviceToken` fills it. */
export interface BuildMessageOptions<TPayload extends object = object> extends Omit<
  CreateMessageOptions<TPayload>,
  'serviceToken'
> {
  serviceToken?: ServiceTokenSource;
}

/** Sends messages without caring which bus carries them: the module's `transport` decides. */
@Injectable()
export class MessageBusPublisher {
  /** Built at the first publish: it loads `@opentelemetry/api`, which an app that starts consuming should not wait for. */
  private tracer?: PublishTracer;

  constructor(
    @Inject(MESSAGE_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedMessageBusOptions,
    private readonly transports: MessageTransports,
    private readonly registry: MessageTypeRegistry,
  ) {}

  /**
   * Publishes to a queue (SQS) or topic (Kafka) named `destination`. `message` is a
   * `MessageBusMessage` or a plain envelope object `{ meta_data, payload }` (as the Python
   * client sends dicts), validated with the module's message types first. Every failure, a bad
   * argument included, rejects the promise: nothing is thrown synchronously.
   */
  async publish(
    message: OutgoingMessage,
    destination: string,
    options: PublisherPublishOptions = {},
  ): Promise<PublishReceipt> {
    if (typeof destination !== 'string' || destination.trim() === '') {
      throw new MessageBusConfigurationError('destination', 'must name a queue or topic');
    }
    const envelope = this.toMessage(message);
    const { transport, ...publishOptions } = options;
    const name =
      this.options.transport === 'memory' ? 'memory' : (transport ?? this.options.transport);
    const bus = this.transports.get(name);
    this.tracer ??= new PublishTracer(this.options.telemetry);
    return this.tracer.publish(name, destination, envelope.type, publishOptions, (traced) =>
      bus.publish(envelope, destination, traced),
    );
  }

  /**
   * Builds a message with the module's message types, its `meta_data.token` from `serviceToken`
   * (this call's, else the module's): a function is called now, so each message gets a fresh token.
   */
  async build<TPayload extends object = object>(
    options: BuildMessageOptions<TPayload>,
  ): Promise<MessageBusMessage<TPayload>> {
    const source = options.serviceToken ?? this.options.serviceToken;
    if (source === undefined) {
      throw new MessageBusConfigurationError(
        'serviceToken',
        'is required to build a message: set it in the module options or pass it to build()',
      );
    }
    const serviceToken = await resolveServiceToken(source);
    return MessageBusMessage.create({ ...options, serviceToken }, { registry: this.registry });
  }

  private toMessage(message: OutgoingMessage): MessageBusMessage {
    if (message instanceof MessageBusMessage) return message;
    if (looksLikeEnvelope(message)) return this.registry.parseMessage(message);
    throw new MessageValidationError([
      {
        field: 'message',
        problems: [
          'message must be a MessageBusMessage or an envelope object { meta_data, payload }',
        ],
      },
    ]);
  }
}
