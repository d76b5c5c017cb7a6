import type { INestApplicationContext } from '@nestjs/common';
import type { DispatchOutcome } from '../dispatch/delivery-outcome';
import { MessageDispatcher } from '../runtime/message.dispatcher';
import { MessageBusMessage } from '../message/message-bus-message';
import { MessageTypeRegistry } from '../message/message-type-registry';
import { MessageTransports } from '../transports/message-transports';
import type { MemoryDeadLetterRecord, MemorySettlement } from '../transports/memory/memory-records';
import type { MemoryTransport } from '../transports/memory/memory.transport';

/** A message the app under test published, parsed back from the exact text it sent. */
export interface PublishedMessage {
  readonly destination: string;
  readonly message: MessageBusMessage;
  readonly body: string;
}

/**
 * Drives and observes the in-memory bus of an app under test: hand it a message and await
 * its handling, then look at what the app published and what was dead-lettered.
 */
export class MessageBusTestBus {
  private constructor(
    private readonly memory: MemoryTransport,
    private readonly dispatcher: MessageDispatcher,
    private readonly messageTypes: MessageTypeRegistry,
  ) {}

  static from(app: INestApplicationContext): MessageBusTestBus {
    return new MessageBusTestBus(
      app.get(MessageTransports, { strict: false }).memory,
      app.get(MessageDispatcher, { strict: false }),
      app.get(MessageTypeRegistry, { strict: false }),
    );
  }

  /**
   * Runs one delivery straight through validation and the handlers, with no consumer
   * configuration needed, and returns what became of it. `input` may be a message, a wire
   * object or raw text (to test invalid input).
   */
  dispatch(
    input: MessageBusMessage | object | string,
    source = 'test',
    attempt = 1,
  ): Promise<DispatchOutcome> {
    const body =
      typeof input === 'string'
        ? input
        : input instanceof MessageBusMessage
          ? input.serialize()
          : JSON.stringify(input);
    return this.dispatcher.dispatch({ transport: 'memory', source, body, attempt });
  }

  /**
   * Publishes on an in-memory queue or topic that the app consumes, and resolves once the
   * bus is idle again with what became of the message in each consumer group
   * (after retries, so a failing handler ends dead-lettered).
   */
  async publishAndWait(
    input: MessageBusMessage | string,
    destination: string,
  ): Promise<MemorySettlement[]> {
    const settlements: MemorySettlement[] = [];
    const stopListening = this.memory.onSettled((settlement) => settlements.push(settlement));
    try {
      // Published raw, so that published() keeps listing only what the app itself sent.
      const messageId = this.memory.publishRaw(
        typeof input === 'string' ? input : input.serialize(),
        destination,
      );
      await this.memory.whenIdle();
      return settlements.filter((settlement) => settlement.messageId === messageId);
    } finally {
      stopListening();
    }
  }

  /** Resolves when nothing is queued, running or waiting for a retry. */
  whenIdle(): Promise<void> {
    return this.memory.whenIdle();
  }

  /** What the app published, oldest first; only to `destination` when given. */
  published(destination?: string): PublishedMessage[] {
    return this.memory.records.publishedRecords
      .filter((record) => destination === undefined || record.destination === destination)
      .map((record) => ({
        destination: record.destination,
        body: record.body,
        message: MessageBusMessage.fromJSON(record.body, { registry: this.messageTypes }),
      }));
  }

  /** What was dead-lettered, with its reason; only from `source` when given. */
  deadLetters(source?: string): MemoryDeadLetterRecord[] {
    return this.memory.records.deadLetterRecords.filter(
      (record) => source === undefined || record.source === source,
    );
  }

  /** Forgets what was published and dead-lettered so far. */
  reset(): void {
    this.memory.clearRecords();
  }
}
