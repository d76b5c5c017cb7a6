import { Injectable } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import {
  InstructionType,
  MessageBusConfigurationError,
  MessageBusModule,
  MessageBusPublisher,
  OnInstruction,
  PaymentPayload,
  TokenClaims,
  type MessageBusModuleOptions,
} from 'nestjs-message-bus';
import { MessageBusTestBus } from 'nestjs-message-bus/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPaymentMessage } from '../support/payment-message';
import { TOKEN_AUDIENCE, TOKEN_ISSUER, signHmacToken } from '../support/service-tokens';

const SECRET = 'e2e-shared-hmac-secret-at-least-32-bytes';
const VERIFICATION = {
  secret: SECRET,
  algorithms: ['HS256'],
  issuer: TOKEN_ISSUER,
  audience: TOKEN_AUDIENCE,
};

const calls: Array<{ reference: string; sub: unknown }> = [];

@Injectable()
class PlainPaymentHandler {
  @OnInstruction(InstructionType.PAYMENT)
  pay(@Payload() payment: PaymentPayload, @TokenClaims('sub') sub: unknown): void {
    calls.push({ reference: payment.reference, sub });
  }
}

@Injectable()
class VerifiedPaymentHandler {
  @OnInstruction(InstructionType.PAYMENT, { verifyToken: true })
  pay(@Payload() payment: PaymentPayload, @TokenClaims('sub') sub: unknown): void {
    calls.push({ reference: payment.reference, sub });
  }
}

const apps: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  calls.length = 0;
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function boot(options: Partial<MessageBusModuleOptions>, handler: new () => unknown) {
  const app = await Test.createTestingModule({
    imports: [
      MessageBusModule.forRoot({
        transport: 'memory',
        consumers: {
          sqs: [
            { queue: 'payments', deadLetterQueue: 'payments-dlq' },
            { queue: 'trusted', deadLetterQueue: 'trusted-dlq', verifyToken: false },
          ],
        },
        ...options,
      }),
    ],
    providers: [handler],
  }).compile();
  await app.init();
  apps.push(app);
  return { app, bus: MessageBusTestBus.from(app) };
}

const payment = (reference: string, serviceToken: string) =>
  buildPaymentMessage({ reference, payerName: 'E2E', serviceToken });

describe('service tokens are verified only where turned on', () => {
  it('leaves unsigned tokens alone when nothing turns verification on', async () => {
    const { bus } = await boot({ tokenVerification: VERIFICATION }, PlainPaymentHandler);
    const [settlement] = await bus.publishAndWait(payment('P-plain', 'not.a.jwt'), 'payments');
    expect(settlement.action).toBe('acknowledge');
    expect(calls).toEqual([{ reference: 'P-plain', sub: undefined }]);
  });

  it('module-wide verifyToken: every consumer verifies unless it says verifyToken: false', async () => {
    const { bus } = await boot(
      { tokenVerification: VERIFICATION, verifyToken: true },
      PlainPaymentHandler,
    );
    const [refused] = await bus.publishAndWait(payment('P-refused', 'not.a.jwt'), 'payments');
    expect(refused).toMatchObject({ action: 'dead-letter', attempts: 1 });
    expect(bus.deadLetters('payments')[0].reason).toMatch(
      /^unauthenticated: .*failed verification: malformed/,
    );
    const [trusted] = await bus.publishAndWait(payment('P-trusted', 'not.a.jwt'), 'trusted');
    expect(trusted.action).toBe('acknowledge');
    const [verified] = await bus.publishAndWait(
      payment('P-ok', await signHmacToken(SECRET)),
      'payments',
    );
    expect(verified.action).toBe('acknowledge');
    expect(calls).toEqual([
      { reference: 'P-trusted', sub: undefined },
      { reference: 'P-ok', sub: 'BANKING_SERVICE' },
    ]);
  });

  it('per consumer: consumers.sqs[].verifyToken', async () => {
    const { bus } = await boot(
      {
        tokenVerification: VERIFICATION,
        consumers: {
          sqs: [{ queue: 'payments', deadLetterQueue: 'payments-dlq', verifyToken: true }],
        },
      },
      PlainPaymentHandler,
    );
    const [refused] = await bus.publishAndWait(
      payment('P-1', await signHmacToken('w'.repeat(32))),
      'payments',
    );
    expect(refused.action).toBe('dead-letter');
    expect(bus.deadLetters('payments')[0].reason).toContain('failed verification: bad-signature');
    expect(calls).toEqual([]);
  });

  it('per handler: @OnInstruction(type, { verifyToken: true }), on every consumer, even verifyToken: false', async () => {
    const { bus } = await boot({ tokenVerification: VERIFICATION }, VerifiedPaymentHandler);
    const [refused] = await bus.publishAndWait(payment('P-2', 'not.a.jwt'), 'trusted');
    expect(refused.action).toBe('dead-letter');
    const expired = await signHmacToken(SECRET, { expiresIn: -600 });
    await bus.publishAndWait(payment('P-3', expired), 'payments');
    expect(bus.deadLetters('payments')[0].reason).toContain('failed verification: expired');
    await bus.publishAndWait(payment('P-4', await signHmacToken(SECRET)), 'payments');
    expect(calls).toEqual([{ reference: 'P-4', sub: 'BANKING_SERVICE' }]);
  });

  it('refuses to start when verification is asked for without tokenVerification', async () => {
    await expect(boot({}, VerifiedPaymentHandler)).rejects.toThrow(MessageBusConfigurationError);
    await expect(boot({}, VerifiedPaymentHandler)).rejects.toThrow(
      /tokenVerification is required because VerifiedPaymentHandler.pay/,
    );
    await expect(boot({ verifyToken: true }, PlainPaymentHandler)).rejects.toThrow(
      /verifyToken needs tokenVerification/,
    );
  });
});

describe('outbound serviceToken', () => {
  const paymentOptions = (reference: string) => ({
    source: 'PAYMENTS_SERVICE',
    instructionType: InstructionType.PAYMENT,
    payload: {
      external_reference: 'E',
      currency: 'EUR',
      value: '1.00',
      source: 'BANK',
      reference,
      direction: 'INBOUND',
    },
  });

  it('calls an async serviceToken function for each message built', async () => {
    let issued = 0;
    const { app } = await boot(
      { serviceToken: async () => `token-${(issued += 1)}` },
      PlainPaymentHandler,
    );
    const publisher = app.get(MessageBusPublisher);
    const first = await publisher.build(paymentOptions('R1'));
    const second = await publisher.build(paymentOptions('R2'));
    expect([first.meta_data.token, second.meta_data.token]).toEqual(['token-1', 'token-2']);
  });

  it('takes a sync function or a string, a call of its own overriding the module', async () => {
    const { app } = await boot({ serviceToken: () => 'sync-token' }, PlainPaymentHandler);
    const publisher = app.get(MessageBusPublisher);
    expect((await publisher.build(paymentOptions('R3'))).meta_data.token).toBe('sync-token');
    expect(
      (await publisher.build({ ...paymentOptions('R4'), serviceToken: 'own' })).meta_data.token,
    ).toBe('own');
  });

  it('says what to set when there is no token at all', async () => {
    const { app } = await boot({}, PlainPaymentHandler);
    await expect(app.get(MessageBusPublisher).build(paymentOptions('R5'))).rejects.toThrow(
      /serviceToken is required/,
    );
    await expect(boot({ serviceToken: '  ' }, PlainPaymentHandler)).rejects.toThrow(
      /serviceToken must be/,
    );
  });
});
