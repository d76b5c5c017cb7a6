import { Injectable } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InstructionType,
  MessageBusConfigurationError,
  MessageBusModule,
  OnInstruction,
  PaymentPayload,
  SqsClient,
  SqsCredentialsMissingError,
  type StartupPolicy,
} from 'nestjs-message-bus';
import { sqsEndpoint, uniqueName } from '../../../support/broker-environment';
import { ACCOUNT_ID, integrationClient } from '../../sqs/sqs-test-kit';
import { payment } from '../kafka/kafka-runtime-kit';

@Injectable()
class PaymentProvider {
  readonly seen: string[] = [];

  @OnInstruction(InstructionType.PAYMENT)
  onPayment(payment: PaymentPayload): void {
    this.seen.push(payment.reference);
  }
}

/** Every variable the AWS SDK's default credential chain reads, cleared for this file. */
const AWS_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_EC2_METADATA_DISABLED',
];

describe('missing AWS credentials: one configuration error at start-up, not a retry', () => {
  const saved = new Map<string, string | undefined>();
  let dir: string;
  let queue: string;

  beforeAll(async () => {
    queue = uniqueName('no-credentials');
    const client = integrationClient();
    await client.createQueue(queue);
    await client.sendMessage(payment('NO-CREDENTIALS-1'), queue);
    await client.close();
    dir = mkdtempSync(join(tmpdir(), 'no-aws-credentials-'));
    writeFileSync(join(dir, 'credentials'), '');
    writeFileSync(join(dir, 'config'), '');
    for (const name of AWS_VARIABLES) {
      saved.set(name, process.env[name]);
      delete process.env[name];
    }
    // No profile anywhere, and (so the test does not depend on the network) no instance role.
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
  });

  afterAll(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    const client = integrationClient();
    await client.deleteQueue(queue).catch(() => undefined);
    await client.close();
  });

  it.each<StartupPolicy>(['keep-retrying', 'fail-fast'])(
    'rejects bootstrap with SqsCredentialsMissingError naming what to set (startup %s), handling nothing',
    async (startup) => {
      const app: TestingModule = await Test.createTestingModule({
        imports: [
          MessageBusModule.forRoot({
            sqs: { queueUrl: `${sqsEndpoint()}/${ACCOUNT_ID}`, region: 'eu-west-1' },
            consumers: { sqs: [{ queue, waitTimeSeconds: 1 }] },
            startup,
          }),
        ],
        providers: [PaymentProvider],
      }).compile();
      try {
        const booting = app.init();
        await expect(booting).rejects.toThrow(SqsCredentialsMissingError);
        await expect(booting).rejects.toThrow(MessageBusConfigurationError);
        await expect(booting).rejects.toThrow(
          /^Invalid message bus configuration: sqs\.credentials is unset and the AWS SDK found no credentials \(Could not load credentials from any providers\): set sqs\.credentials, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run the app with an IAM role$/,
        );
        expect(app.get(PaymentProvider).seen).toEqual([]);
      } finally {
        await app.close().catch(() => undefined);
      }
    },
  );

  it('a call that meets missing credentials throws the same typed error', async () => {
    const client = new SqsClient({ queueUrl: `${sqsEndpoint()}/${ACCOUNT_ID}` });
    try {
      await expect(client.sendMessage(payment('NO-CREDENTIALS-2'), queue)).rejects.toThrow(
        SqsCredentialsMissingError,
      );
    } finally {
      await client.close();
    }
  });
});
