import { ForbiddenException, Logger } from '@nestjs/common';
import { RpcException, Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { FORBIDDEN_MESSAGE } from '@nestjs/core/guards/constants';
import { DeliveryDispatcher } from '../dispatch/delivery-dispatcher';
import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import type { MessageBusModuleOptions } from '../interfaces/message-bus-module-options.interface';
import { buildMessageTypeRegistry, MessageTypeRegistry } from '../message/message-type-registry';
import { resolveModuleOptions } from '../options/resolve-module-options';
import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import { toHandlerInvocation, type HandlerInvocation } from '../dispatch/handler-invocation';
import { ConsumerWatchdog } from '../runtime/consumer-watchdog';
import { tokenStageOf } from '../trust/token-stage';
import { closeIdempotencyStores } from '../idempotency/close-idempotency-stores';
import { startConsumers } from '../runtime/start-consumers';
import { KafkaClient } from '../transports/kafka/kafka.client';
import { MessageTransports } from '../transports/message-transports';
import { SqsClient } from '../transports/sqs/sqs.client';
import type { RunningConsumer } from '../transports/transport.interface';
import { unconfiguredClient } from '../transports/unconfigured-client';
import { silenceDefaultRpcErrorLog } from './silent-rpc-exceptions-handler';

/** What `MessageBusServer.unwrap()` returns. */
export interface MessageBusServerClients {
  sqs: SqsClient;
  kafka: KafkaClient;
}

/**
 * A `CustomTransportStrategy` for apps that prefer `app.connectMicroservice({ strategy })`
 * with `@EventPattern(EventType.X)` / `@MessagePattern(InstructionType.Y)` handlers: the
 * pattern is the message type. Messages are validated, retried and dead-lettered exactly as
 * with `MessageBusModule`'s own handlers; the handler receives the payload DTO and a
 * `MessageBusContext` (`@Payload()`, `@Ctx()`). As with the module, a failed attempt is logged
 * once, by the consumer (Nest's "RpcExceptionsHandler" line is left out for these handlers,
 * their RPC exception filters still run), and a consumer that fails for good keeps the process
 * alive or ends it with code 1 (`onConsumerFailure`), never with a silent exit 0.
 */
export class MessageBusServer extends Server implements CustomTransportStrategy {
  private readonly busLogger = new Logger(MessageBusServer.name);
  private readonly options: ResolvedMessageBusOptions;
  private readonly clients: MessageBusServerClients;
  private readonly transports: MessageTransports;
  private readonly registry: MessageTypeRegistry;
  private consumers: RunningConsumer[] = [];
  private watchdog?: ConsumerWatchdog;

  constructor(options: MessageBusModuleOptions) {
    super();
    this.options = resolveModuleOptions(options);
    this.registry = buildMessageTypeRegistry(this.options.messageTypes);
    const { registry } = this;
    this.clients = {
      sqs: this.options.sqs
        ? new SqsClient({ ...this.options.sqs, registry })
        : unconfiguredClient(SqsClient, 'sqs'),
      kafka: this.options.kafka
        ? new KafkaClient({ ...this.options.kafka, registry })
        : unconfiguredClient(KafkaClient, 'kafka'),
    };
    this.transports = new MessageTransports(this.options, this.clients.sqs, this.clients.kafka);
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    silenceDefaultRpcErrorLog();
    const dispatcher = new DeliveryDispatcher(
      (message) => {
        const handler = this.getHandlerByPattern(message.type);
        if (!handler) return [];
        return [
          {
            name: `pattern ${message.type}`,
            invoke: refusalsAsForbidden(toHandlerInvocation(handler)),
          },
        ];
      },
      this.registry,
      tokenStageOf(this.options),
    );
    try {
      this.consumers = await startConsumers(this.options, this.transports, dispatcher);
      for (const consumer of this.consumers) this.busLogger.log(`Consuming ${consumer.name}`);
      if (this.consumers.length > 0) {
        this.watchdog = new ConsumerWatchdog({
          statuses: () => this.consumerStatuses(),
          onFailure: this.options.onConsumerFailure,
          drain: () => this.stopConsumers(),
        });
        this.watchdog.start();
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await this.stopConsumers();
    await this.transports.close();
    await Promise.all([this.clients.sqs.close(), this.clients.kafka.close()]);
    await closeIdempotencyStores(this.options);
  }

  private async stopConsumers(): Promise<void> {
    this.watchdog?.stop();
    const consumers = this.consumers.splice(0);
    await Promise.all(consumers.map((consumer) => consumer.stop(this.options.shutdownTimeoutMs)));
  }

  /** The in-memory bus when `transport` is `'memory'`, for tests of a connected microservice. */
  get memory(): MessageTransports['memory'] {
    return this.transports.memory;
  }

  on(): never {
    throw new MessageBusConfigurationError(
      'MessageBusServer.on()',
      'is not supported: read consumer state with consumerStatuses()',
    );
  }

  consumerStatuses(): ReturnType<RunningConsumer['status']>[] {
    return this.consumers.map((consumer) => consumer.status());
  }

  unwrap<T = MessageBusServerClients>(): T {
    return this.clients as T;
  }
}

/**
 * Nest refuses a pattern handler's message with `RpcException('Forbidden resource')` where the
 * module's handlers get a `ForbiddenException`: the pipeline dead-letters a guard's refusal
 * (a retry would be refused again), so it gets the same signal from both.
 */
function refusalsAsForbidden(invoke: HandlerInvocation): HandlerInvocation {
  return async (payload, context) => {
    try {
      return await invoke(payload, context);
    } catch (error) {
      if (error instanceof RpcException && error.getError() === FORBIDDEN_MESSAGE) {
        throw new ForbiddenException(FORBIDDEN_MESSAGE, { cause: error });
      }
      throw error;
    }
  };
}
