import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import {
  ConsumerOrchestrator,
  EventType,
  MessageBusConfigurationError,
  MessageBusMessage,
  MessageBusModule,
  OnEvent,
  type MessageBusModuleOptions,
} from 'nestjs-message-bus';
import { MessageBusTestBus } from 'nestjs-message-bus/testing';
import { afterEach, describe, expect, it } from 'vitest';

/** Which handler ran, per idempotency key. */
const runs: string[] = [];

@Injectable()
class PaymentEventHandlers {
  @OnEvent(EventType.PAYMENT, { idempotency: true })
  tracked(): void {
    runs.push('tracked');
  }

  @OnEvent(EventType.PAYMENT, { idempotency: false })
  untracked(): void {
    runs.push('untracked');
  }

  @OnEvent(EventType.PAYMENT)
  following(): void {
    runs.push('following');
  }

  @OnEvent(EventType.PAYMENT, {
    idempotency: { key: (message) => (message.payload as { reference: string }).reference },
  })
  byReference(): void {
    runs.push('byReference');
  }
}

function paymentEvent(reference: string, key = randomUUID()): MessageBusMessage {
  return MessageBusMessage.create({
    source: 'BANKING_SERVICE',
    event: EventType.PAYMENT,
    serviceToken: 't',
    idempotencyKey: key,
    payload: { external_reference: `EXT-${reference}`, reference, source: 'BANK' },
  });
}

async function start(options: Partial<MessageBusModuleOptions> = {}): Promise<TestingModule> {
  const app = await Test.createTestingModule({
    imports: [
      MessageBusModule.forRoot({
        transport: 'memory',
        consumers: { kafka: [{ topic: 'payments' }] },
        ...options,
      }),
    ],
    providers: [PaymentEventHandlers],
  }).compile();
  await app.init();
  return app;
}

describe('idempotency settings on the memory bus', () => {
  let app: TestingModule | undefined;
  afterEach(async () => {
    runs.length = 0;
    await app?.close();
    app = undefined;
  });

  it('per handler: tracked handlers run once per key, untracked ones each time, by default none is tracked', async () => {
    app = await start();
    const bus = MessageBusTestBus.from(app);
    const event = paymentEvent('R-1');
    await bus.publishAndWait(event, 'payments');
    await bus.publishAndWait(event, 'payments');
    expect(runs.filter((r) => r === 'tracked')).toHaveLength(1);
    expect(runs.filter((r) => r === 'untracked')).toHaveLength(2);
    expect(runs.filter((r) => r === 'following')).toHaveLength(2);
  });

  it('module-wide: handlers without a setting are tracked, `false` stays untracked', async () => {
    app = await start({ idempotency: true });
    const bus = MessageBusTestBus.from(app);
    const event = paymentEvent('R-2');
    await bus.publishAndWait(event, 'payments');
    const [second] = await bus.publishAndWait(event, 'payments');
    expect(runs.filter((r) => r === 'following')).toHaveLength(1);
    expect(runs.filter((r) => r === 'untracked')).toHaveLength(2);
    // One handler ran, so the second delivery is handled, not a duplicate.
    expect(second.outcome.status).toBe('handled');
  });

  it('per consumer: `false` on the consumer turns the module setting off there', async () => {
    app = await start({
      idempotency: true,
      consumers: { kafka: [{ topic: 'payments', idempotency: false }] },
    });
    const bus = MessageBusTestBus.from(app);
    const event = paymentEvent('R-3');
    await bus.publishAndWait(event, 'payments');
    await bus.publishAndWait(event, 'payments');
    expect(runs.filter((r) => r === 'following')).toHaveLength(2);
    expect(runs.filter((r) => r === 'tracked')).toHaveLength(1);
  });

  it('a key function: two messages with other keys but one reference run the handler once', async () => {
    app = await start();
    const bus = MessageBusTestBus.from(app);
    await bus.publishAndWait(paymentEvent('R-4'), 'payments');
    await bus.publishAndWait(paymentEvent('R-4'), 'payments');
    expect(runs.filter((r) => r === 'byReference')).toHaveLength(1);
    expect(runs.filter((r) => r === 'tracked')).toHaveLength(2);
  });

  it('counts duplicates in statuses()', async () => {
    @Injectable()
    class OnlyTracked {
      @OnEvent(EventType.NEW_BANK_PAYMENT, { idempotency: true })
      handle(): void {
        runs.push('only');
      }
    }
    const module = await Test.createTestingModule({
      imports: [
        MessageBusModule.forRoot({ transport: 'memory', consumers: { sqs: [{ queue: 'q' }] } }),
      ],
      providers: [OnlyTracked],
    }).compile();
    await module.init();
    app = module;
    const bus = MessageBusTestBus.from(module);
    const event = MessageBusMessage.create({
      source: 'BANKING_SERVICE',
      event: EventType.NEW_BANK_PAYMENT,
      serviceToken: 't',
      payload: { external_reference: 'E', reference: 'R', source: 'BANK' },
    });
    await bus.publishAndWait(event, 'q');
    const [second] = await bus.publishAndWait(event, 'q');
    expect(second.outcome.status).toBe('duplicate');
    expect(runs).toEqual(['only']);
    expect(module.get(ConsumerOrchestrator).statuses()[0]).toMatchObject({
      handled: 1,
      duplicate: 1,
    });
  });

  it('refuses a wrong setting at start-up, naming it', async () => {
    await expect(
      start({ consumers: { kafka: [{ topic: 'payments', idempotency: { leaseMs: -1 } }] } }),
    ).rejects.toThrow(MessageBusConfigurationError);
    await expect(start({ idempotency: { ttl: 5 } as never })).rejects.toThrow(
      /idempotency\.ttl is not an option/,
    );
  });
});
