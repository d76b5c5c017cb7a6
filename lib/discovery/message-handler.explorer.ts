import { Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, ExternalContextCreator, MetadataScanner } from '@nestjs/core';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { MessageBusParamsFactory } from '../dispatch/message-bus-params.factory';
import { RequestScopedHandlerError } from '../errors/request-scoped-handler.error';
import { MESSAGE_BUS_CONTEXT_TYPE } from '../message-bus.constants';
import {
  toHandlerInvocation,
  type HandlerInvocation,
  type NestHandlerCall,
} from '../dispatch/handler-invocation';
import { directHandlerCall } from './direct-handler-call';
import { assertEnhancersResolve } from './enhancer-resolution';
import { hostModuleContextCreator } from './host-module-context-creator';
import { MessageHandlerMetadataAccessor } from './message-handler-metadata.accessor';
import type { MessageHandler } from './message-handler';

/**
 * Finds the @OnInstruction / @OnEvent methods of the app's controllers and providers, each
 * wrapped by Nest's ExternalContextCreator in the `rpc` context (with the host's own module,
 * see hostModuleContextCreator) so that guards, interceptors, pipes and exception filters
 * apply as they do to microservice handlers. It only finds: MessageBusModule registers.
 */
@Injectable()
export class MessageHandlerExplorer {
  private readonly paramsFactory = new MessageBusParamsFactory();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly accessor: MessageHandlerMetadataAccessor,
    private readonly contextCreator: ExternalContextCreator,
  ) {}

  explore(): MessageHandler[] {
    const handlers: MessageHandler[] = [];
    const seen = new Set<object>();
    for (const wrapper of this.hosts()) {
      const { instance } = wrapper;
      if (!instance || typeof instance !== 'object' || seen.has(instance)) continue;
      seen.add(instance);
      handlers.push(...this.exploreInstance(wrapper, instance as Record<string, unknown>));
    }
    return handlers;
  }

  /**
   * Controllers and providers, aliases left out and classes Nest built first: a factory or
   * value provider may hand out an instance that a class provider of another module holds,
   * and that class provider's module is the one with its enhancers (as in Nest's own lookup).
   */
  private hosts(): InstanceWrapper[] {
    const wrappers = [...this.discovery.getControllers(), ...this.discovery.getProviders()];
    return wrappers
      .filter((wrapper) => !wrapper.isAlias)
      .sort((a, b) => Number(a.isNotMetatype) - Number(b.isNotMetatype));
  }

  private exploreInstance(
    wrapper: InstanceWrapper,
    instance: Record<string, unknown>,
  ): MessageHandler[] {
    const handlers: MessageHandler[] = [];
    const creator = wrapper.host
      ? hostModuleContextCreator(this.contextCreator, wrapper.host.token)
      : this.contextCreator;
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const methodName of this.scanner.getAllMethodNames(prototype)) {
      const method = instance[methodName] as (...args: unknown[]) => unknown;
      const bindings = this.accessor.getBindings(method);
      if (bindings.length === 0) continue;
      const name = `${instance.constructor.name}.${methodName}`;
      if (!wrapper.isDependencyTreeStatic() || wrapper.isTransient)
        throw new RequestScopedHandlerError(name);
      assertEnhancersResolve(wrapper.host, instance, methodName, name);

      // Without an enhancer, Nest's context would only add promises: call the method directly.
      const direct =
        wrapper.host &&
        directHandlerCall(creator, instance, methodName, this.paramsFactory, wrapper.host.token);
      const invoke =
        direct?.invoke ?? this.throughNestContext(creator, instance, method, methodName);
      const invokeWithPayload = direct?.invokeWithPayload;
      for (const binding of bindings)
        handlers.push({
          ...binding,
          name,
          invoke,
          ...(invokeWithPayload && { invokeWithPayload }),
        });
    }
    return handlers;
  }

  /** The handler with its guards, interceptors, pipes and filters, as Nest's ExternalContextCreator builds it. */
  private throughNestContext(
    creator: ExternalContextCreator,
    instance: Record<string, unknown>,
    method: (...args: unknown[]) => unknown,
    methodName: string,
  ): HandlerInvocation {
    const call = creator.create(
      instance,
      method,
      methodName,
      ROUTE_ARGS_METADATA,
      this.paramsFactory,
      undefined,
      undefined,
      undefined,
      MESSAGE_BUS_CONTEXT_TYPE,
    ) as NestHandlerCall;
    return toHandlerInvocation(call);
  }
}
