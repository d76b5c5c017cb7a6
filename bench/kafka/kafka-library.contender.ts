import { Controller, Module, type INestApplicationContext } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { OnInstruction } from '../../lib/decorators/on-instruction.decorator';
import type { MessageBusContext } from '../../lib/dispatch/message-bus.context';
import type { KafkaConsumerOptions } from '../../lib/interfaces/consumer-options.interface';
import type { RetryOptions } from '../../lib/interfaces/retry-options.interface';
import { MessageBusModule } from '../../lib/message-bus.module';
import { InstructionType } from '../../lib/message/instruction-type.enum';
import type { PaymentPayload } from '../../lib/message/payloads/instructions/payment.payload';
import type { ContenderRequest, ContenderRun } from '../contender.interface';
import { envelopeIndex, failsFirstAttempt } from '../payment-envelope';
import type { BenchRunClock } from '../run-clock';
import { startBenchApp } from '../nest-bench-app';

/**
 * The consumer option that picks the non-blocking retry mode, named once so that the bench
 * follows the library if the name changes. `'blocking'` (the default, per-key order) pauses
 * the partition for a retry; `'retry-topic'` moves the failed message to a retry topic.
 */
export const RETRY_MODE_OPTION = 'retryMode';

/**
 * The library "tuned": one processing slot per partition of the bench topic. The Kafka
 * consumer has no other setting that drains a backlog faster here: more members (2 × 3 or
 * 3 × 2 partitions) measured slower, each member joining the group on its own (start-up about
 * twice as long).
 */
export const LIBRARY_TUNED_KAFKA: Partial<KafkaConsumerOptions> = {
  partitionsConcurrency: 6,
};

/**
 * The retry policy of the failure runs, both modes: a short first delay, so that the runs
 * measure how each mode carries a failure rather than how long the default delay (1 s) is.
 * A failed first attempt is retried 25–50 ms later (the delay's upper half is jittered).
 */
export const FAILURE_RETRY: RetryOptions = { initialDelayMs: 50 };

const failureSettings = (mode: string): string =>
  `${mode}, retry.initialDelayMs ${FAILURE_RETRY.initialDelayMs} (other retry and consumer settings default)`;

/** The library's settings as each Kafka contender runs them, for the report. */
export const LIBRARY_KAFKA_SETTINGS: Record<string, string> = {
  lib: 'MessageBusModule.forRoot defaults (partitionsConcurrency 10, members 1)',
  'lib-tuned': `partitionsConcurrency ${LIBRARY_TUNED_KAFKA.partitionsConcurrency} (one per partition), members 1`,
  ...Object.fromEntries(
    [0, 1, 10].flatMap((percent) => [
      [`fail-ordered-${percent}`, failureSettings("retryMode 'blocking' (default)")],
      [`fail-retry-topic-${percent}`, failureSettings("retryMode 'retry-topic'")],
    ]),
  ),
};

/** The clock the handlers count on: one contender per child process. */
let activeClock: BenchRunClock | undefined;

@Controller()
class PaymentController {
  @OnInstruction(InstructionType.PAYMENT)
  onPayment(@Payload() payment: PaymentPayload): void {
    if (payment.external_reference !== undefined) activeClock?.count();
  }
}

/** Fails the first attempt of the chosen messages (by index), counts each message once handled. */
let failurePercent = 0;

@Controller()
class FlakyPaymentController {
  @OnInstruction(InstructionType.PAYMENT)
  onPayment(@Payload() payment: PaymentPayload, @Ctx() context: MessageBusContext): void {
    const index = envelopeIndex(payment.external_reference);
    if (context.getAttempt() === 1 && failsFirstAttempt(index, failurePercent)) {
      throw new Error(`bench: first attempt of message ${index} fails on purpose`);
    }
    activeClock?.count();
  }
}

/**
 * The library end to end: `MessageBusModule.forRoot` with a Kafka consumer of its own group,
 * `@OnInstruction(PAYMENT)` on a controller taking the validated `@Payload()`. The clock starts
 * before `NestFactory.createApplicationContext` (module set-up, connect and group join count,
 * as they do for every Kafka contender).
 */
export function kafkaLibraryContender(
  settings: Partial<KafkaConsumerOptions> & Record<string, unknown>,
  flaky = false,
): ContenderRun {
  return async (request: ContenderRequest, clock: BenchRunClock) => {
    const kafka = request.kafka!;
    activeClock = clock;
    failurePercent = kafka.failurePercent ?? 0;
    const consumer = {
      topic: kafka.topic,
      groupId: kafka.groupId,
      fromBeginning: true,
      ...settings,
    } as KafkaConsumerOptions;

    @Module({
      imports: [
        MessageBusModule.forRoot({
          transport: 'kafka',
          kafka: {
            bootstrapServers: kafka.brokers,
            securityProtocol: 'PLAINTEXT',
            logLevel: 'error',
          },
          consumers: { kafka: [consumer] },
        }),
      ],
      controllers: [flaky ? FlakyPaymentController : PaymentController],
    })
    class KafkaBenchModule {}

    let app: INestApplicationContext | undefined;
    clock.start();
    try {
      app = await startBenchApp(KafkaBenchModule);
      await clock.finished;
    } finally {
      await app?.close();
    }
  };
}
