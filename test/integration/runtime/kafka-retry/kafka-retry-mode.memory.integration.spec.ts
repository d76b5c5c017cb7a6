import { Test, type TestingModule } from '@nestjs/testing';
import { ConsumerOrchestrator, type KafkaRetryMode } from 'nestjs-message-bus';
import { MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageTransports } from '../../../../lib/transports/message-transports';
import { payment, paymentHandler, type HandlerCall } from '../kafka/kafka-runtime-kit';
import { paymentController, recording, type HandlerHost } from './kafka-retry-kit';

let app: TestingModule | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** `retryMode` on a Kafka consumer run on the in-memory bus behaves as on Kafka. */
describe.each<{ mode: KafkaRetryMode; host: HandlerHost }>([
  { mode: 'blocking', host: 'provider' },
  { mode: 'blocking', host: 'controller' },
  { mode: 'retry-topic', host: 'provider' },
  { mode: 'retry-topic', host: 'controller' },
])('memory bus, Kafka consumer with retryMode $mode (handler on a $host)', ({ mode, host }) => {
  it(
    mode === 'blocking'
      ? 'holds up the messages after a failed one on its key until its retry'
      : 'lets the messages after a failed one on its key go on while it waits for its retry',
    async () => {
      const calls: HandlerCall[] = [];
      const behaviour = recording(
        calls,
        (reference, attempt) => reference === 'stuck' && attempt === 1,
      );
      const handler =
        host === 'controller' ? paymentController(behaviour) : paymentHandler(behaviour);
      app = await Test.createTestingModule({
        imports: [
          MessageBusTestingModule.forRoot({
            consumers: {
              kafka: [
                {
                  topic: 'payments',
                  retryMode: mode,
                  retry: { maxAttempts: 3, initialDelayMs: 200 },
                },
              ],
            },
          }),
        ],
        ...(host === 'controller' ? { controllers: [handler] } : { providers: [handler] }),
      }).compile();
      await app.init();
      const memory = app.get(MessageTransports, { strict: false }).memory;
      memory.publishRaw(payment('stuck').serialize(), 'payments', { key: 'k' });
      memory.publishRaw(payment('follower').serialize(), 'payments', { key: 'k' });
      await memory.whenIdle();

      const order = calls.map((call) => `${call.reference}#${call.attempt}`);
      expect(order).toEqual(
        mode === 'blocking'
          ? ['stuck#1', 'stuck#2', 'follower#1']
          : ['stuck#1', 'follower#1', 'stuck#2'],
      );
      expect(app.get(ConsumerOrchestrator).statuses()[0]).toMatchObject({
        handled: 2,
        retried: 1,
        deadLettered: 0,
      });
    },
  );
});
