import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, ExternalContextCreator, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { isObservable, lastValueFrom } from 'rxjs';
import { MessageBusParamsFactory } from '../dispatch/message-bus-params.factory';
import type { MessageBusContext } from '../dispatch/message-bus.context';
import { RequestScopedHandlerError } from '../errors/request-scoped-handler.error';
import { MESSAGE_BUS_CONTEXT_TYPE } from '../message-bus.constants';
import { MessageHandlerMetadataAccessor } from './message-handler-metadata.accessor';
import { MessageHandlerRegistry } from './message-handler.registry';

/**
 * Finds @OnInstruction / @OnEvent methods in controllers and providers at module init and
 * registers them, each wrapped by Nest's ExternalContextCreator in the `rpc` context so that
 * guards, interceptors, pipes and exception filters apply as they do to microservice handlers.
 */
@Injectable()
export class MessageHandlerExplorer implements OnModuleInit {
  private readonly logger = new Logger('MessageBus');
  private readonly paramsFactory = new MessageBusParamsFactory();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly accessor: MessageHandlerMetadataAccessor,
    private readonly contextCreator: ExternalContextCreator,
    private readonly registry: MessageHandlerRegistry,
  ) {}

  onModuleInit(): void {
    const wrappers = [...this.discovery.getControllers(), ...this.discovery.getProviders()];
    const seen = new Set<object>();
    for (const wrapper of wrappers) {
      const { instance } = wrapper;
      if (!instance || typeof instance !== 'object' || seen.has(instance)) continue;
      seen.add(instance);
      this.exploreInstance(wrapper, instance as Record<string, unknown>);
    }
    for (const handler of this.registry.all()) {
      this.logger.log(
        `${handler.kind} ${handler.type}${handler.source ? ` from ${handler.source}` : ''} → ${handler.name}`,
      );
    }
  }

  private exploreInstance(wrapper: InstanceWrapper, instance: Record<string, unknown>): void {
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const methodName of this.scanner.getAllMethodNames(prototype)) {
      const method = instance[methodName] as (...args: unknown[]) => unknown;
      const bindings = this.accessor.getBindings(method);
      if (bindings.length === 0) continue;
      const name = `${instance.constructor.name}.${methodName}`;
      if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient)
        throw new RequestScopedHandlerError(name);

      const call = this.contextCreator.create(
        instance,
        method,
        methodName,
        ROUTE_ARGS_METADATA,
        this.paramsFactory,
        undefined,
        undefined,
        undefined,
        MESSAGE_BUS_CONTEXT_TYPE,
      );
      // An exception filter may answer with an Observable, as RPC filters do (throwError).
      const invoke = async (payload: object, context: MessageBusContext): Promise<unknown> => {
        const result: unknown = await call(payload, context);
        return isObservable(result) ? lastValueFrom(result, { defaultValue: undefined }) : result;
      };
      for (const binding of bindings) this.registry.add({ ...binding, name, invoke });
    }
  }
}
