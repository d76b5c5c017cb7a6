import { Controller, Module, type INestApplicationContext } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { OnInstruction } from '../../lib/decorators/on-instruction.decorator';
import type { SqsConsumerOptions } from '../../lib/interfaces/consumer-options.interface';
import { MessageBusModule } from '../../lib/message-bus.module';
import { InstructionType } from '../../lib/message/instruction-type.enum';
import type { PaymentPayload } from '../../lib/message/payloads/instructions/payment.payload';
import type { ContenderRun } from '../contender.interface';
import type { BenchRunClock } from '../run-clock';
import { startBenchApp } from '../nest-bench-app';
import {
  benchSqsClient,
  SQS_CREDENTIALS,
  SQS_REGION,
  stopWhenQueueEmpty,
} from './sqs-queue.fixture';

/** The library "tuned" on SQS: many handlers at once and receives to feed them, a short long poll. */
export const LIBRARY_TUNED_SQS: Partial<SqsConsumerOptions> = {
  concurrency: 100,
  pollers: 10,
  waitTimeSeconds: 1,
};

export const LIBRARY_SQS_SETTINGS: Record<string, string> = {
  // A literal, not the lib's constants: compare-revisions.sh runs this bench on older libraries too.
  'sqs-lib':
    'MessageBusModule.forRoot defaults (concurrency 50, pollers 5: one per 10 slots, waitTimeSeconds 20)',
  'sqs-lib-tuned': `concurrency ${LIBRARY_TUNED_SQS.concurrency}, pollers ${LIBRARY_TUNED_SQS.pollers}, waitTimeSeconds ${LIBRARY_TUNED_SQS.waitTimeSeconds}`,
};

let activeClock: BenchRunClock | undefined;

@Controller()
class SqsPaymentController {
  @OnInstruction(InstructionType.PAYMENT)
  onPayment(@Payload() payment: PaymentPayload): void {
    if (payment.external_reference !== undefined) activeClock?.count();
  }
}

/**
 * The library on SQS: `MessageBusModule.forRoot` with one consumer on the contender's queue,
 * `@OnInstruction(PAYMENT)` on a controller. The clock starts before the app is created and
 * stops once the queue holds none of the messages.
 */
export function sqsLibraryContender(settings: Partial<SqsConsumerOptions>): ContenderRun {
  return async (request, clock) => {
    const { endpoint, queueUrl } = request.sqs!;
    activeClock = clock;
    clock.stopsOnLastCount = false;
    const sqs = benchSqsClient(endpoint);

    @Module({
      imports: [
        MessageBusModule.forRoot({
          transport: 'sqs',
          sqs: {
            queueUrl: queueUrl.slice(0, queueUrl.lastIndexOf('/')),
            region: SQS_REGION,
            credentials: SQS_CREDENTIALS,
          },
          consumers: { sqs: [{ queue: queueUrl, ...settings }] },
        }),
      ],
      controllers: [SqsPaymentController],
    })
    class SqsBenchModule {}

    let app: INestApplicationContext | undefined;
    clock.start();
    try {
      app = await startBenchApp(SqsBenchModule);
      await stopWhenQueueEmpty(sqs, queueUrl, clock);
    } finally {
      // Closing lets open long polls end (up to waitTimeSeconds); not timed.
      await app?.close();
      sqs.destroy();
    }
  };
}
