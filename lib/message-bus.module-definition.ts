import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { MessageBusModuleOptions } from './interfaces/message-bus-module-options.interface';

export const {
  ConfigurableModuleClass: ConfigurableMessageBusModule,
  MODULE_OPTIONS_TOKEN: MESSAGE_BUS_MODULE_OPTIONS,
  OPTIONS_TYPE: MESSAGE_BUS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: MESSAGE_BUS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<MessageBusModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
