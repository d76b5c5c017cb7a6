import { MessageBusError } from '../../errors/message-bus.error';
import type { ResolvedSqsConsumer } from '../../options/resolved-options';
import type { ConsumerStatus, DeliveryHandler, RunningConsumer } from '../transport.interface';
import type { SqsClient } from './sqs.client';

/** Placeholder until the SQS consumer runtime lands. */
export class SqsConsumer implements RunningConsumer {
  readonly name: string;

  constructor(
    readonly client: SqsClient,
    readonly subscription: ResolvedSqsConsumer,
    readonly handler: DeliveryHandler,
  ) {
    this.name = `sqs:${subscription.queue}`;
  }

  async start(): Promise<void> {
    throw new MessageBusError('The SQS consumer is not implemented yet');
  }

  status(): ConsumerStatus {
    return { name: this.name, state: 'stopped', inFlight: 0, handled: 0, retried: 0, deadLettered: 0 };
  }

  async stop(): Promise<void> {}
}
