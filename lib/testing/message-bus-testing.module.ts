import type { DynamicModule } from '@nestjs/common';
import type { TestingModuleBuilder } from '@nestjs/testing';
import type { MessageBusModuleOptions } from '../interfaces/message-bus-module-options.interface';
import { MESSAGE_BUS_OPTIONS_OVERRIDE } from '../message-bus.constants';
import { MessageBusModule } from '../message-bus.module';

/**
 * The message bus for tests: everything on the in-memory transport, through the same
 * validation, dispatch, retry and dead-letter path as the real buses.
 */
export class MessageBusTestingModule {
  /** A MessageBusModule on the in-memory bus, for tests that compose their own module. */
  static forRoot(
    options: Omit<MessageBusModuleOptions, 'transport' | 'sqs' | 'kafka'> & {
      isGlobal?: boolean;
    } = {},
  ): DynamicModule {
    return MessageBusModule.forRoot({ ...options, transport: 'memory' });
  }

  /**
   * Puts an app module that configures real SQS or Kafka on the in-memory bus instead:
   * its consumers become in-memory channels, and the SQS and Kafka clients are left
   * unconfigured so that a test can never reach a real broker by accident.
   */
  static useInMemoryBus(
    builder: TestingModuleBuilder,
    overrides: Omit<MessageBusModuleOptions, 'transport' | 'sqs' | 'kafka'> = {},
  ): TestingModuleBuilder {
    return builder
      .overrideProvider(MESSAGE_BUS_OPTIONS_OVERRIDE)
      .useValue({ ...overrides, transport: 'memory', sqs: undefined, kafka: undefined });
  }
}
