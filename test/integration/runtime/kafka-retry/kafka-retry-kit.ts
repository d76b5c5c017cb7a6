import { Controller, type Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { MessageBusModule, type KafkaConsumerOptions } from 'nestjs-message-bus';
import type { KafkaClientOptions } from '../../../../lib/transports/kafka/kafka-client-options.interface';
import {
  createTopics,
  kafkaOptions,
  paymentHandler,
  type HandlerCall,
  type PaymentBehaviour,
} from '../kafka/kafka-runtime-kit';

/** Creates `topic`, its dead-letter topic and its retry topic (`<topic>.retry`, with a `.dlq` of its own nobody uses). */
export async function createRetryTopics(topic: string, partitions: number): Promise<void> {
  await createTopics(topic, partitions);
  await createTopics(`${topic}.retry`, partitions);
}

/** `paymentHandler(behaviour)` made a `@Controller()`: the same handler, hosted by a controller. */
export function paymentController(behaviour: PaymentBehaviour): Type<unknown> {
  const handler = paymentHandler(behaviour);
  Controller()(handler);
  return handler;
}

export type HandlerHost = 'controller' | 'provider';

/** A Nest app on Kafka consuming one topic, its PAYMENT handler on a controller or a provider; `init()` has run. */
export async function startRetryApp(
  consumer: KafkaConsumerOptions,
  behaviour: PaymentBehaviour,
  host: HandlerHost,
  kafka: KafkaClientOptions = {},
): Promise<TestingModule> {
  const handler = host === 'controller' ? paymentController(behaviour) : paymentHandler(behaviour);
  const app = await Test.createTestingModule({
    imports: [
      MessageBusModule.forRoot({
        transport: 'kafka',
        kafka: kafkaOptions(kafka),
        consumers: { kafka: [consumer] },
        shutdownTimeoutMs: 10_000,
      }),
    ],
    ...(host === 'controller' ? { controllers: [handler] } : { providers: [handler] }),
  }).compile();
  await app.init();
  return app;
}

/** Records every handler call into `calls`, then runs `fail` to decide whether it throws. */
export function recording(
  calls: HandlerCall[],
  fails: (reference: string, attempt: number) => boolean,
): PaymentBehaviour {
  return (payload, context) => {
    const delivery = context.getDelivery();
    const attempt = context.getAttempt();
    calls.push({
      reference: payload.reference,
      attempt,
      at: Date.now(),
      partition: delivery.partition as number,
      offset: Number(delivery.offset),
    });
    if (fails(payload.reference, attempt)) throw new Error(`${payload.reference} fails`);
  };
}
