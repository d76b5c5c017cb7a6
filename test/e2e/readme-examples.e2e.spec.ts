import { Test } from '@nestjs/testing';
import { InstructionType, MessageBusMessage } from 'nestjs-message-bus';
import { MessageBusTestBus, MessageBusTestingModule } from 'nestjs-message-bus/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JwksServer } from '../support/jwks-server';
import { buildPaymentMessage } from '../support/payment-message';
import { TOKEN_ISSUER, signToken, signingKey } from '../support/service-tokens';
import {
  readmeExample as exampleModule,
  readmeExampleLines as codeLines,
} from '../support/readme-examples';

describe('README examples run as written', () => {
  afterEach(() => vi.restoreAllMocks());

  it('quick start: the handler prints the payment it received', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await import(exampleModule('quick-start'));
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith('REF1: 100.00 EUR (attempt 1)'), {
      timeout: 10_000,
    });
  });

  it('complete app: handles a PAYMENT and publishes its status, in under 40 lines', async () => {
    expect(codeLines('complete-app')).toBeLessThan(40);
    process.env.SQS_QUEUE_URL = 'http://127.0.0.1:9324/000000000000';
    process.env.SERVICE_TOKEN = 'payments.service.token';
    const { AppModule } = (await import(exampleModule('complete-app'))) as {
      AppModule: new () => unknown;
    };
    const app = await MessageBusTestingModule.useInMemoryBus(
      Test.createTestingModule({ imports: [AppModule] }),
    ).compile();
    await app.init();
    const bus = MessageBusTestBus.from(app);
    const payment = MessageBusMessage.create({
      source: 'BANKING_SERVICE',
      instructionType: InstructionType.PAYMENT,
      serviceToken: 't',
      payload: {
        external_reference: 'P1',
        currency: 'EUR',
        value: '1.00',
        source: 'BANK',
        reference: 'R-1',
        direction: 'INBOUND',
      },
    });

    const [settlement] = await bus.publishAndWait(payment, 'payments');

    expect(settlement.outcome.status).toBe('handled');
    const [status] = bus.published('transaction-status');
    expect(status.message.meta_data.token).toBe('payments.service.token');
    expect(status.message.payload).toMatchObject({ reference: 'R-1', status: 'RECORDED' });
    await app.close();
  });

  it('verified service tokens: claims reach the handler, bad tokens are dead-lettered, build() fetches the token', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const key = await signingKey('ledger-k1');
    const issuer = await JwksServer.start([key.publicJwk]);
    issuer.issuedToken = 'fetched.ledger.token';
    process.env.SQS_QUEUE_URL = 'http://127.0.0.1:9324/000000000000';
    process.env.JWKS_URL = issuer.url;
    process.env.TOKEN_ISSUER = TOKEN_ISSUER;
    process.env.TOKEN_URL = issuer.tokenUrl;
    const { AppModule } = (await import(exampleModule('service-tokens'))) as {
      AppModule: new () => unknown;
    };
    const app = await MessageBusTestingModule.useInMemoryBus(
      Test.createTestingModule({ imports: [AppModule] }),
    ).compile();
    await app.init();
    try {
      const bus = MessageBusTestBus.from(app);
      const signed = await signToken(key, { aud: 'ledger-service' });
      const payment = (reference: string, serviceToken: string) =>
        buildPaymentMessage({ reference, payerName: 'README', serviceToken });

      const [booked] = await bus.publishAndWait(payment('R-1', signed), 'payments');
      expect(booked.outcome.status).toBe('handled');
      expect(log).toHaveBeenCalledWith(`R-1 from BANKING_SERVICE (${TOKEN_ISSUER})`);
      expect(bus.published('bookings')[0].message.meta_data.token).toBe('fetched.ledger.token');

      const [refused] = await bus.publishAndWait(payment('R-2', await signToken(key)), 'payments');
      expect(refused.action).toBe('dead-letter');
      expect(bus.deadLetters('payments')[0].reason).toMatch(/^unauthenticated: .*wrong-audience/);
    } finally {
      await app.close();
      await issuer.close();
    }
  });

  it('consumer control: the admin controller pauses, resumes and starts consumers by name', async () => {
    process.env.SQS_QUEUE_URL = 'http://127.0.0.1:9324/000000000000';
    const { AppModule, ConsumersController } = (await import(
      exampleModule('consumer-control')
    )) as {
      AppModule: new () => unknown;
      ConsumersController: new (...args: never[]) => {
        statuses(): Array<{ name: string; state: string }>;
        pause(name: string): Promise<void>;
        resume(name: string): Promise<void>;
      };
    };
    const app = await MessageBusTestingModule.useInMemoryBus(
      Test.createTestingModule({ imports: [AppModule] }),
    ).compile();
    await app.init();
    try {
      const admin = app.get(ConsumersController);
      const states = () => admin.statuses().map(({ name, state }) => `${name} ${state}`);
      expect(states()).toEqual([
        'memory:payments (queue) running',
        'memory:refunds (queue) stopped',
      ]);

      await admin.pause('memory:payments (queue)');
      await admin.resume('memory:refunds (queue)');
      expect(states()).toEqual([
        'memory:payments (queue) paused',
        'memory:refunds (queue) running',
      ]);

      await admin.resume('memory:payments (queue)');
      expect(states()).toEqual([
        'memory:payments (queue) running',
        'memory:refunds (queue) running',
      ]);
    } finally {
      await app.close();
    }
  });

  it('message model: the validation error lists the fields the README says', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await import(exampleModule('message-model'));
    expect(log).toHaveBeenCalledWith([
      'meta_data.created_at',
      'meta_data.token',
      'meta_data.idempotency_key',
      'payload.title',
      'payload.identifier',
    ]);
  });
});
