import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { describe, expect, it } from 'vitest';
import { brokerVariable } from '../../support/broker-environment';
import { buildPaymentMessage } from '../../support/payment-message';
import { readmeExample } from '../../support/readme-examples';

/** The README's "Idempotent handling" example, as written, with the repo's real redis-server. */
describe('README: idempotent handling', () => {
  it('books a payment delivered twice once; the second delivery is a duplicate', async () => {
    process.env.SQS_QUEUE_URL = 'http://127.0.0.1:9324/000000000000';
    process.env.REDIS_URL = brokerVariable('REDIS_URL');
    const { AppModule, LedgerHandler } = (await import(readmeExample('idempotent-handling'))) as {
      AppModule: new () => unknown;
      LedgerHandler: new () => { booked: string[] };
    };
    const app = await MessageBusTestingModule.useInMemoryBus(
      Test.createTestingModule({ imports: [AppModule] }),
    ).compile();
    await app.init();
    try {
      const bus = MessageBusTestBus.from(app);
      const payment = buildPaymentMessage({
        reference: 'R-1',
        payerName: 'Zoë Müller',
        serviceToken: 't',
        idempotencyKey: randomUUID(),
      });

      const [first] = await bus.publishAndWait(payment, 'payments');
      const [second] = await bus.publishAndWait(payment, 'payments');

      expect(first.outcome.status).toBe('handled');
      expect(second.outcome.status).toBe('duplicate');
      expect(app.get(LedgerHandler).booked).toEqual(['R-1']);
    } finally {
      await app.close();
    }
  });
});
