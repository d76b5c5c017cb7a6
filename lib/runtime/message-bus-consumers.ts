import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { MessageHandlerRegistry } from '../discovery/message-handler.registry';
import { ConsumptionDisabledError } from '../errors/consumption-disabled.error';
import { UnknownConsumerError } from '../errors/unknown-consumer.error';
import { closeIdempotencyStores } from '../idempotency/close-idempotency-stores';
import { MESSAGE_BUS_RESOLVED_OPTIONS } from '../message-bus.constants';
import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import { MessageTransports } from '../transports/message-transports';
import type { ConsumerStatus } from '../transports/transport.interface';
import { ConsumerWatchdog } from './consumer-watchdog';
import { declaredConsumers } from './declared-consumers';
import { ManagedConsumerSlot, type ManagedConsumer } from './managed-consumer';
import { MessageDispatcher } from './message.dispatcher';
import { DeferredConsumerTelemetry } from './deferred-consumer-telemetry';
import { startConsumer } from './start-consumers';

/**
 * The app's consumers, one per configured queue or topic, to inject where they are steered
 * (as `SchedulerRegistry` is for @nestjs/schedule): `pause`, `resume`, `start` and `stop` one
 * by name, `statuses()` of all. Those with `autoStart` (the default) start once the app has
 * bootstrapped; with `consume: false` none ever does. At shutdown every consumer still running
 * stops (in-flight handlers get `shutdownTimeoutMs` to finish) before the transports close.
 */
@Injectable()
export class MessageBusConsumers
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(MessageBusConsumers.name);
  private readonly slots = new Map<string, ManagedConsumerSlot>();
  private watchdog?: ConsumerWatchdog;

  constructor(
    @Inject(MESSAGE_BUS_RESOLVED_OPTIONS) private readonly options: ResolvedMessageBusOptions,
    private readonly transports: MessageTransports,
    dispatcher: MessageDispatcher,
    private readonly handlers: MessageHandlerRegistry,
  ) {
    const mayStart = (name: string) => (): void => {
      if (!options.consume) throw new ConsumptionDisabledError(name);
    };
    const telemetry = new DeferredConsumerTelemetry(options.telemetry);
    for (const declared of declaredConsumers(options)) {
      const launch = () => startConsumer(declared, transports, dispatcher, telemetry);
      this.slots.set(
        declared.name,
        new ManagedConsumerSlot(
          declared,
          launch,
          options.shutdownTimeoutMs,
          mayStart(declared.name),
        ),
      );
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.slots.size === 0) return;
    if (!this.options.consume) {
      this.logger.log(
        `consume is false: ${this.slots.size} declared consumer(s) stay stopped; this instance only publishes`,
      );
      return;
    }
    this.warnAboutUnreachableHandlers();
    const slots = [...this.slots.values()];
    const started: ManagedConsumerSlot[] = [];
    try {
      for (const slot of slots) {
        if (slot.declared.settings.autoStart === false) continue;
        await slot.start();
        started.push(slot);
      }
    } catch (error) {
      await Promise.all(started.map((slot) => slot.close()));
      throw error;
    }
    for (const slot of slots) {
      if (slot.declared.settings.autoStart !== false) continue;
      this.logger.log(
        `${slot.name} has autoStart: false: it starts with MessageBusConsumers.start('${slot.name}')`,
      );
    }
    // Also with every consumer waiting for start(): something must keep a consumer-only app up.
    this.watchdog = new ConsumerWatchdog({
      statuses: () => this.statuses(),
      onFailure: this.options.onConsumerFailure,
      drain: () => this.beforeApplicationShutdown(),
    });
    this.watchdog.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.watchdog?.stop();
    await Promise.all([...this.slots.values()].map((slot) => slot.close()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.transports.close();
    await closeIdempotencyStores(this.options);
  }

  /** Every declared consumer's status, in the order of `consumers.sqs` then `consumers.kafka`. */
  statuses(): ConsumerStatus[] {
    return [...this.slots.values()].map((slot) => slot.status());
  }

  /** The consumers' names, as `statuses()` shows them. */
  names(): string[] {
    return [...this.slots.keys()];
  }

  /** Whether a consumer of that name is declared. */
  has(name: string): boolean {
    return this.slots.has(name);
  }

  /** The consumer of that name; throws `UnknownConsumerError` (listing the names) for another. */
  get(name: string): ManagedConsumer {
    const slot = this.slots.get(name);
    if (!slot) throw new UnknownConsumerError(name, this.names());
    return slot;
  }

  /** See `ManagedConsumer.pause`. */
  async pause(name: string): Promise<void> {
    await this.get(name).pause();
  }

  /** See `ManagedConsumer.resume`. */
  async resume(name: string): Promise<void> {
    await this.get(name).resume();
  }

  /** See `ManagedConsumer.start`. */
  async start(name: string): Promise<void> {
    await this.get(name).start();
  }

  /** See `ManagedConsumer.stop`. */
  async stop(name: string): Promise<void> {
    await this.get(name).stop();
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
