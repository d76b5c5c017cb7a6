import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsDeadLetterRedriver } from '../../../lib/redrive';
import type { SqsClient } from '../../../lib/transports/sqs/sqs.client';
import { sqsEndpoint } from '../../support/broker-environment';
import { createQueue, drainQueue, queueDepth } from '../runtime/sqs/sqs-consumer-kit';
import { emulatorSqsOptions, integrationClient } from '../sqs/sqs-test-kit';
import {
  payment,
  runCli,
  startRedriveApp,
  statusesOf,
  statusEvent,
  waitFor,
  useRedriveSuite,
} from './redrive-kit';

const CLI_ENV = {
  SQS_ENDPOINT: sqsEndpoint(),
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
};

describe('Dead-letter redrive on SQS (ElasticMQ): API and CLI', () => {
  const suite = useRedriveSuite();
  let client: SqsClient;

  beforeAll(() => {
    client = integrationClient();
  });
  afterAll(async () => {
    await client.close();
  });

  /** An app whose handlers fail POISON-* messages once, so the consumer dead-letters them. */
  async function deadLettered(prefix: string, payments: string[], statuses: string[]) {
    const queue = await createQueue(client, `${prefix}`);
    const deadLetterQueue = await createQueue(client, `${prefix}-dlq`);
    suite.app = await startRedriveApp({
      transport: 'sqs',
      sqs: emulatorSqsOptions(),
      consumers: {
        sqs: [
          {
            queue,
            deadLetterQueue,
            retry: { maxAttempts: 1 },
            waitTimeSeconds: 1,
            visibilityTimeout: 5,
          },
        ],
      },
    });
    for (const reference of payments) await client.sendMessage(payment(reference), queue);
    for (const reference of statuses) await client.sendMessage(statusEvent(reference), queue);
    const poison = [...payments, ...statuses].filter((ref) => ref.startsWith('POISON')).length;
    await waitFor(
      `${poison} dead letters`,
      () => statusesOf(suite.app!)[0].deadLettered === poison,
    );
    await waitFor('the dead letters to be visible', async () => {
      return (await queueDepth(client, deadLetterQueue)).visible === poison;
    });
    return { queue, deadLetterQueue, running: suite.app };
  }

  it('lists, dry-runs, filters and limits, then the CLI redrives the rest: each handled once, the DLQ empty', async () => {
    const { queue, deadLetterQueue, running } = await deadLettered(
      'rd-sqs',
      ['POISON-P1', 'POISON-P2', 'OK-1'],
      ['POISON-S1'],
    );
    const redriver = new SqsDeadLetterRedriver(client, deadLetterQueue);

    const listed = await redriver.list();
    expect(listed).toHaveLength(3);
    for (const letter of listed) {
      expect(letter.origin).toBe(queue);
      expect(letter.reason).toMatch(/^handler-error: /);
      expect(letter.ageMs).toBeGreaterThanOrEqual(0);
      expect(letter.busHeaders['bus-attempts']).toBe('1');
    }
    expect(listed.map((letter) => letter.messageType).sort()).toEqual([
      'PAYMENT',
      'PAYMENT',
      'TRANSACTION_STATUS_UPDATE',
    ]);
    // Listing released what it read.
    expect(await queueDepth(client, deadLetterQueue)).toEqual({ visible: 3, inFlight: 0 });

    const dryRun = await redriver.redrive({ dryRun: true });
    expect(dryRun).toMatchObject({ dryRun: true, redriven: 3, skipped: 0, failed: 0 });
    expect(await queueDepth(client, deadLetterQueue)).toEqual({ visible: 3, inFlight: 0 });
    expect(running.log.handled).toEqual(['payment:OK-1']);

    running.log.broken = false;
    const byType = await redriver.redrive({ filter: { messageType: 'TRANSACTION_STATUS_UPDATE' } });
    expect(byType).toMatchObject({ redriven: 1, skipped: 2, failed: 0, interrupted: false });
    await waitFor('the status event handled', () => running.log.count('status:POISON-S1') === 1);
    expect(await queueDepth(client, deadLetterQueue)).toEqual({ visible: 2, inFlight: 0 });

    const olderThanAnHour = await redriver.redrive({ filter: { olderThanMs: 3_600_000 } });
    expect(olderThanAnHour).toMatchObject({ redriven: 0, skipped: 2 });

    const limited = await redriver.redrive({ limit: 1 });
    expect(limited).toMatchObject({ redriven: 1, failed: 0 });
    await waitFor('one payment redriven', async () => {
      const depth = await queueDepth(client, deadLetterQueue);
      return depth.visible === 1 && depth.inFlight === 0;
    });

    const run = await runCli(
      suite.cli.main,
      ['dlq', 'redrive', deadLetterQueue, '-t', 'sqs'],
      CLI_ENV,
    );
    expect(run.stderr).not.toContain('error:');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${deadLetterQueue}: redriven 1, skipped 0, failed 0`);

    await waitFor('both payments handled', () =>
      ['payment:POISON-P1', 'payment:POISON-P2'].every((entry) => running.log.count(entry) === 1),
    );
    expect(await queueDepth(client, deadLetterQueue)).toEqual({ visible: 0, inFlight: 0 });
    await new Promise((done) => setTimeout(done, 1_500));
    expect([...running.log.handled].sort()).toEqual([
      'payment:OK-1',
      'payment:POISON-P1',
      'payment:POISON-P2',
      'status:POISON-S1',
    ]);
  });

  it('copies the body byte for byte with the original attributes, without the bus-* ones', async () => {
    const queue = await createQueue(client, 'rd-copy');
    const deadLetterQueue = await createQueue(client, 'rd-copy-dlq');
    const probe = await createQueue(client, 'rd-copy-probe');
    suite.app = await startRedriveApp({
      transport: 'sqs',
      sqs: emulatorSqsOptions(),
      consumers: {
        sqs: [{ queue, deadLetterQueue, retry: { maxAttempts: 1 }, waitTimeSeconds: 1 }],
      },
    });
    // Not JSON at all: dead-lettered as invalid, and proof that nothing re-serialises the body.
    const body = 'not json {  "ü": 1 }\n';
    await client.sendRawMessage(body, queue, {
      messageAttributes: { 'x-team': { DataType: 'String', StringValue: 'payments' } },
    });
    await waitFor('the dead letter', () => statusesOf(suite.app!)[0].deadLettered === 1);

    const run = await runCli(
      suite.cli.main,
      [
        'dlq',
        'redrive',
        deadLetterQueue,
        '-t',
        'sqs',
        '--to',
        probe,
        '--reason',
        'invalid-message',
      ],
      CLI_ENV,
    );
    expect(run.code).toBe(0);
    const [copy] = await drainQueue(client, probe, 1);
    expect(copy.rawBody).toBe(body);
    expect(Object.keys(copy.messageAttributes)).toEqual(['x-team']);
    expect(copy.messageAttributes['x-team'].stringValue).toBe('payments');
    expect(await queueDepth(client, deadLetterQueue)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('stops after the message in hand on SIGINT (exit 130, summary printed); a rerun redrives the rest: none lost, none twice', async () => {
    const references = Array.from({ length: 6 }, (_, index) => `POISON-I${index}`);
    const { deadLetterQueue, running } = await deadLettered('rd-int', references, []);
    running.log.broken = false;

    const first = await runCli(
      suite.cli.main,
      ['dlq', 'redrive', deadLetterQueue, '-t', 'sqs', '--rate', '2'],
      CLI_ENV,
      // Once the first copy is in and its dead letter deleted: the next one waits for the rate.
      async () => {
        const depth = await queueDepth(client, deadLetterQueue);
        return depth.visible + depth.inFlight < 6;
      },
    );
    expect(first.code).toBe(130);
    const counted = /redriven (\d+), skipped 0, failed 0/.exec(first.stdout);
    expect(first.stdout).toContain('interrupted');
    const redrivenFirst = Number(counted?.[1]);
    expect(redrivenFirst).toBeGreaterThan(0);
    expect(redrivenFirst).toBeLessThan(6);
    // What it did not redrive is visible again at once, not hidden for the tool's visibility timeout.
    expect(await queueDepth(client, deadLetterQueue)).toEqual({
      visible: 6 - redrivenFirst,
      inFlight: 0,
    });

    const second = await runCli(
      suite.cli.main,
      ['dlq', 'redrive', deadLetterQueue, '-t', 'sqs'],
      CLI_ENV,
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`redriven ${6 - redrivenFirst}, skipped 0, failed 0`);
    await waitFor('all six handled', () =>
      references.every((reference) => running.log.count(`payment:${reference}`) >= 1),
    );
    await new Promise((done) => setTimeout(done, 1_500));
    for (const reference of references) expect(running.log.count(`payment:${reference}`)).toBe(1);
    expect(await queueDepth(client, deadLetterQueue)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('refuses wrong flags with exit code 2, naming the flag, before reading anything', async () => {
    const missing = await runCli(suite.cli.main, ['dlq', 'redrive', 'some-dlq'], CLI_ENV);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--transport');
    const badAge = await runCli(
      suite.cli.main,
      ['dlq', 'list', 'some-dlq', '-t', 'sqs', '--older-than', 'yesterday'],
      CLI_ENV,
    );
    expect(badAge.code).toBe(2);
    expect(badAge.stderr).toContain('--older-than');
    const help = await runCli(suite.cli.main, ['dlq', 'redrive', '--help'], CLI_ENV);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--dry-run');
  });
});
