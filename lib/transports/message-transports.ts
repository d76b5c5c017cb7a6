import { Inject, Injectable } from '@nestjs/common';
import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import { MESSAGE_BUS_RESOLVED_OPTIONS } from '../message-bus.constants';
import type {
  ResolvedKafkaConsumer,
  ResolvedMessageBusOptions,
  ResolvedSqsConsumer,
} from '../options/resolved-options';
import { KafkaClient } from './kafka/kafka.client';
import { KafkaTransport } from './kafka/kafka.transport';
import { MemoryTransport } from './memory/memory.transport';
import { SqsClient } from './sqs/sqs.client';
import { SqsTransport } from './sqs/sqs.transport';
import type { MessageTransport } from './transport.interface';
import type { TransportName } from '../interfaces/transport-name';

/** The app's transports, created only for the buses its options configure. */
@Injectable()
export class MessageTransports {
  readonly memory = new MemoryTransport();
  private sqsTransport?: SqsTransport;
  private kafkaTransport?: KafkaTransport;

  constructor(
    @Inject(MESSAGE_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedMessageBusOptions,
    private readonly sqsClient: SqsClient,
    private readonly kafkaClient: KafkaClient,
  ) {}

  get sqs(): SqsTransport {
    this.requireConfigured('sqs');
    this.sqsTransport ??= new SqsTransport(this.sqsClient);
    return this.sqsTransport;
  }

  get kafka(): KafkaTransport {
    this.requireConfigured('kafka');
    this.kafkaTransport ??= new KafkaTransport(this.kafkaClient);
    return this.kafkaTransport;
  }

  /**
   * The transport that runs the consumers configured under `consumers.sqs` or
   * `consumers.kafka`: that bus, or the in-memory one with `transport: 'memory'`.
   */
  forConsumers(bus: 'sqs'): MessageTransport<ResolvedSqsConsumer>;
  forConsumers(bus: 'kafka'): MessageTransport<ResolvedKafkaConsumer>;
  forConsumers(
    bus: 'sqs' | 'kafka',
  ): MessageTransport<ResolvedSqsConsumer> | MessageTransport<ResolvedKafkaConsumer> {
    if (this.options.transport === 'memory') return this.memory;
    return bus === 'sqs' ? this.sqs : this.kafka;
  }

  get(name: TransportName): MessageTransport {
    if (name === 'memory') return this.memory;
    return name === 'sqs' ? this.sqs : this.kafka;
  }

  /** Closes the transports that were created; the clients are closed by their own providers. */
  async close(): Promise<void> {
    await Promise.all([
      this.memory.close(),
      this.sqsTransport?.close(),
      this.kafkaTransport?.close(),
    ]);
  }

  private requireConfigured(name: 'sqs' | 'kafka'): void {
    if (!this.options[name]) {
      throw new MessageBusConfigurationError(
        name,
        `is not configured: pass ${name} options to MessageBusModule.forRoot() to use the ${name} transport`,
      );
    }
  }
}
