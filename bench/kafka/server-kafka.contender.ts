import {
  Controller,
  Module,
  UsePipes,
  ValidationPipe,
  type INestMicroservice,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPattern, Payload, Transport, type MicroserviceOptions } from '@nestjs/microservices';
import type { ContenderRun } from '../contender.interface';
import type { BenchRunClock } from '../run-clock';
import { PaymentEnvelopeDto } from './payment-envelope.dto';

/**
 * `@nestjs/microservices` `ServerKafka`, what a Nest user picks without this library: an
 * `@EventPattern(topic)` handler on a controller, no-op, or behind `ValidationPipe` on a
 * class-validator DTO (PaymentEnvelopeDto). ServerKafka runs kafkajs `eachMessage` with
 * auto-commit and parses each value as JSON itself; `partitionsConsumedConcurrently` is set to
 * the topic's partitions, as for every contender. The clock starts before
 * `NestFactory.createMicroservice`.
 */
export function serverKafkaContender(validate: boolean): ContenderRun {
  return async (request, clock: BenchRunClock) => {
    const kafka = request.kafka!;

    @Controller()
    class PaymentEventsController {
      @EventPattern(kafka.topic)
      onPayment(@Payload() envelope: unknown): void {
        if (envelope !== undefined) clock.count();
      }
    }

    @Controller()
    class ValidatedPaymentEventsController {
      @EventPattern(kafka.topic)
      @UsePipes(new ValidationPipe({ transform: true }))
      onPayment(@Payload() envelope: PaymentEnvelopeDto): void {
        if (envelope.payload !== undefined) clock.count();
      }
    }

    @Module({
      controllers: [validate ? ValidatedPaymentEventsController : PaymentEventsController],
    })
    class ServerKafkaBenchModule {}

    let app: INestMicroservice | undefined;
    clock.start();
    try {
      app = await NestFactory.createMicroservice<MicroserviceOptions>(ServerKafkaBenchModule, {
        logger: ['error'],
        abortOnError: false,
        transport: Transport.KAFKA,
        options: {
          postfixId: '',
          client: { clientId: `bench-${request.contender}`, brokers: [kafka.brokers], logLevel: 1 },
          consumer: {
            groupId: kafka.groupId,
            sessionTimeout: 30_000,
            heartbeatInterval: 3_000,
            maxWaitTimeInMs: 500,
          },
          subscribe: { fromBeginning: true },
          run: { partitionsConsumedConcurrently: kafka.partitions },
        },
      });
      await app.listen();
      await clock.finished;
    } finally {
      await app?.close();
    }
  };
}
