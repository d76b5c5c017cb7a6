import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { MessageHandlerRegistry } from '../discovery/message-handler.registry';
import { MessageDispatcher } from './message.dispatcher';
import { MESSAGE_BUS_RESOLVED_OPTIONS } from '../message-bus.constants';
import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import { MessageTransports } from '../transports/message-transports';
import type { ConsumerStatus, RunningConsumer } from '../transports/transport.interface';
import { ConsumerWatchdog } from './consumer-watchdog';
import { closeIdempotencyStores } from '../idempotency/close-idempotency-stores';
import { startConsumers } from './start-consumers';

/**
 * Starts one consumer per configured queue or topic once the app has bootstrapped, and at
 * shutdown stops them (in-flight handlers get `shutdownTimeoutMs` to finish) before the
 * transports close. `statuses()` tells the app how each consumer is doing.
 */
@Injectable()
export class ConsumerOrchestrator
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(ConsumerOrchestrator.name);
  private readonly consumers: RunningConsumer[] = [];
  private watchdog?: ConsumerWatchdog;

  constructor(
    @Inject(MESSAGE_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedMessageBusOptions,
    private readonly transports: MessageTransports,
    private readonly dispatcher: MessageDispatcher,
    private readonly handlers: MessageHandlerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.warnAboutUnreachableHandlers();
    this.consumers.push(...(await startConsumers(this.options, this.transports, this.dispatcher)));
    for (const consumer of this.consumers) this.logger.log(`Consuming ${consumer.name}`);
    if (this.consumers.length === 0) return;
    this.watchdog = new ConsumerWatchdog({
      statuses: () => this.statuses(),
      onFailure: this.options.onConsumerFailure,
      drain: () => this.beforeApplicationShutdown(),
    });
    this.watchdog.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.watchdog?.stop();
    const consumers = this.consumers.splice(0);
    await Promise.all(consumers.map((consumer) => consumer.stop(this.options.shutdownTimeoutMs)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.transports.close();
    await closeIdempotencyStores(this.options);
  }

  statuses(): ConsumerStatus[] {
    return this.consumers.map((consumer) => consumer.status());
  }

  private warnAboutUnreachableHandlers(): void {
    const sources = new Set([
      ...this.options.sqsConsumers.map((consumer) => consumer.queue),
      ...this.options.kafkaConsumers.map((consumer) => consumer.topic),
    ]);
    for (const handler of this.handlers.all()) {
      if (handler.source !== undefined && !sources.has(handler.source)) {
        this.logger.warn(
          `${handler.name} listens to ${handler.source}, which no consumer in consumers.sqs or consumers.kafka reads`,
        );
      }
    }
  }
}
