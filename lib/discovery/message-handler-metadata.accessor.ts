import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { MessageHandlerMetadata } from '../interfaces/message-handler-metadata.interface';
import { MESSAGE_HANDLER_METADATA } from '../message-bus.constants';

/** The one place that reads handler metadata. */
@Injectable()
export class MessageHandlerMetadataAccessor {
  constructor(private readonly reflector: Reflector) {}

  getBindings(method: (...args: unknown[]) => unknown): MessageHandlerMetadata[] {
    return (
      this.reflector.get<MessageHandlerMetadata[] | undefined>(MESSAGE_HANDLER_METADATA, method) ??
      []
    );
  }
}
