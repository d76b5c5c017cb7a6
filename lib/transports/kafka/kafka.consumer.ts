import { MessageBusError } from '../../errors/message-bus.error';
import type { ResolvedKafkaConsumer } from '../../options/resolved-options';
import type { ConsumerStatus, DeliveryHandler, RunningConsumer } from '../transport.interface';
import type { KafkaClient } from './kafka.client';

/** Placeholder until the SQS consumer runtime lands. */
export class KafkaConsumer implements RunningConsumer {
  readonly name: string;

  constructor(
    readonly client: KafkaClient,
    readonly subscription: ResolvedKafkaConsumer,
    readonly handler: DeliveryHandler,
  ) {
    this.name = `kafka:${subscription.topic}`;
  }

  async start(): Promise<void> {
    throw new MessageBusError('The Kafka consumer is not implemented yet');
  }

  status(): ConsumerStatus {
    return { name: this.name, state: 'stopped', inFlight: 0, handled: 0, retried: 0, deadLettered: 0 };
  }

  async stop(): Promise<void> {}
}
