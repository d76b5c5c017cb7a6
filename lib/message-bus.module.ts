import {
  Inject,
  Logger,
  Module,
  Optional,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { MessageHandlerMetadataAccessor } from './discovery/message-handler-metadata.accessor';
import { MessageHandlerExplorer } from './discovery/message-handler.explorer';
import { MessageHandlerRegistry } from './discovery/message-handler.registry';
import { MessageDispatcher } from './runtime/message.dispatcher';
import { MessageBusConfigurationError } from './errors/message-bus-configuration.error';
import type { MessageBusModuleOptions } from './interfaces/message-bus-module-options.interface';
import {
  MESSAGE_BUS_OPTIONS_OVERRIDE,
  MESSAGE_BUS_RESOLVED_OPTIONS,
} from './message-bus.constants';
import {
  ConfigurableMessageBusModule,
  MESSAGE_BUS_ASYNC_OPTIONS_TYPE,
  MESSAGE_BUS_MODULE_OPTIONS,
  MESSAGE_BUS_OPTIONS_TYPE,
} from './message-bus.module-definition';
import { buildMessageTypeRegistry, MessageTypeRegistry } from './message/message-type-registry';
import { resolveModuleOptions } from './options/resolve-module-options';
import type { ResolvedMessageBusOptions } from './options/resolved-options';
import { MessageBusClientProxy } from './microservices/message-bus.client-proxy';
import { MessageBusPublisher } from './publisher/message-bus.publisher';
import { MessageBusConsumers } from './runtime/message-bus-consumers';
import { KafkaClient } from './transports/kafka/kafka.client';
import { MessageTransports } from './transports/message-transports';
import { SqsClient } from './transports/sqs/sqs.client';
import { unconfiguredClient } from './transports/unconfigured-client';

const providers: Provider[] = [
  { provide: MESSAGE_BUS_OPTIONS_OVERRIDE, useValue: null },
  {
    provide: MESSAGE_BUS_RESOLVED_OPTIONS,
    inject: [MESSAGE_BUS_MODULE_OPTIONS, MESSAGE_BUS_OPTIONS_OVERRIDE],
    useFactory: (
      options: MessageBusModuleOptions,
      override: Partial<MessageBusModuleOptions> | null,
    ) => resolveModuleOptions(options, override),
  },
  {
    provide: MessageTypeRegistry,
    inject: [MESSAGE_BUS_RESOLVED_OPTIONS],
    useFactory: ({ messageTypes }: ResolvedMessageBusOptions) =>
      buildMessageTypeRegistry(messageTypes),
  },
  // The clients parse and build with the module's registry, as its handlers do.
  {
    provide: SqsClient,
    inject: [MESSAGE_BUS_RESOLVED_OPTIONS, MessageTypeRegistry],
    useFactory: ({ sqs }: ResolvedMessageBusOptions, registry: MessageTypeRegistry) =>
      sqs ? new SqsClient({ ...sqs, registry }) : unconfiguredClient(SqsClient, 'sqs'),
  },
  {
    provide: KafkaClient,
    inject: [MESSAGE_BUS_RESOLVED_OPTIONS, MessageTypeRegistry],
    useFactory: ({ kafka }: ResolvedMessageBusOptions, registry: MessageTypeRegistry) =>
      kafka ? new KafkaClient({ ...kafka, registry }) : unconfiguredClient(KafkaClient, 'kafka'),
  },
  MessageHandlerMetadataAccessor,
  MessageHandlerRegistry,
  MessageHandlerExplorer,
  MessageDispatcher,
  MessageTransports,
  MessageBusPublisher,
  {
    provide: MessageBusClientProxy,
    inject: [MessageBusPublisher, MessageTypeRegistry],
    useFactory: (publisher: MessageBusPublisher, registry: MessageTypeRegistry) =>
      new MessageBusClientProxy(publisher, registry),
  },
  MessageBusConsumers,
];

/**
 * One import gives an app its bus: `SqsClient`, `KafkaClient` and `MessageBusPublisher` to
 * inject, and every @OnInstruction / @OnEvent method of its controllers and providers
 * running on the configured queues and topics.
 */
@Module({
  imports: [DiscoveryModule],
  providers,
  exports: [
    SqsClient,
    KafkaClient,
    MessageBusPublisher,
    MessageBusClientProxy,
    MessageTypeRegistry,
    MessageBusConsumers,
    MESSAGE_BUS_RESOLVED_OPTIONS,
  ],
})
export class MessageBusModule
  extends ConfigurableMessageBusModule
  implements OnModuleInit, OnApplicationShutdown
{
  private readonly logger = new Logger(MessageBusModule.name);

  constructor(
    private readonly explorer: MessageHandlerExplorer,
    private readonly registry: MessageHandlerRegistry,
    @Inject(MESSAGE_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedMessageBusOptions,
    @Optional() @Inject(SqsClient) private readonly sqsClient?: SqsClient,
    @Optional() @Inject(KafkaClient) private readonly kafkaClient?: KafkaClient,
  ) {
    super();
  }

  static override forRoot(options: typeof MESSAGE_BUS_OPTIONS_TYPE): DynamicModule {
    return super.forRoot(options);
  }

  /** Like forRoot, with the options from a factory, class or existing provider (e.g. ConfigService). */
  static override forRootAsync(options: typeof MESSAGE_BUS_ASYNC_OPTIONS_TYPE): DynamicModule {
    const ways = [options?.useFactory, options?.useClass, options?.useExisting].filter(
      Boolean,
    ).length;
    if (ways !== 1) {
      throw new MessageBusConfigurationError(
        'MessageBusModule.forRootAsync()',
        'needs exactly one of useFactory, useClass and useExisting',
      );
    }
    return super.forRootAsync(options);
  }

  /** Registers the handlers the explorer found, before any consumer starts (at bootstrap). */
  onModuleInit(): void {
    for (const handler of this.explorer.explore()) this.registry.add(handler);
    const unverifiable = this.registry.all().find((handler) => handler.verifyToken);
    if (unverifiable && this.options.tokenVerification === undefined) {
      throw new MessageBusConfigurationError(
        'tokenVerification',
        `is required because ${unverifiable.name} is declared with { verifyToken: true }: say how tokens are verified`,
      );
    }
    for (const handler of this.registry.all()) {
      const from = handler.source ? ` from ${handler.source}` : '';
      this.logger.log(`${handler.kind} ${handler.type}${from} → ${handler.name}`);
    }
  }

  /** Clients close after the consumers have stopped (MessageBusConsumers' shutdown hooks). */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.sqsClient?.close(), this.kafkaClient?.close()]);
  }
}
