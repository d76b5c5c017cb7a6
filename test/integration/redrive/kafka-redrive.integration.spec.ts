import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaDeadLetterRedriver } from '../../../lib/redrive';
import type { KafkaClient } from '../../../lib/transports/kafka/kafka.client';
import { brokerVariable, uniqueName } from '../../support/broker-environment';
import { createTopic, plaintextClient } from '../kafka/kafka-test-support';
import { kafkaOptions, readRecords } from '../runtime/kafka/kafka-runtime-kit';
import {
  payment,
  runCli,
  startRedriveApp,
  statusesOf,
  statusEvent,
  waitFor,
  useRedriveSuite,
  type RedriveApp,
} from './redrive-kit';

describe('Dead-letter redrive on Kafka: API and CLI', () => {
  const suite = useRedriveSuite();
  let client: KafkaClient;

  beforeAll(() => {
    client = plaintextClient();
  });
  afterAll(async () => {
    await client.close();
  });

  /** Two-partition topic and dead-letter topic, and an app whose handlers fail POISON-* until fixed. */
  async function startOn(topic: string, deadLetterTopic: string): Promise<RedriveApp> {
    await createTopic(client, topic, 2);
    await createTopic(client, deadLetterTopic, 2);
    suite.app = await startRedriveApp({
      transport: 'kafka',
      kafka: kafkaOptions(),
      consumers: {
        kafka: [
          {
            topic,
            groupId: `${topic}.app`,
            deadLetterTopic,
            retry: { maxAttempts: 1 },
            fromBeginning: true,
          },
        ],
      },
    });
    return suite.app;
  }

  it('dead-lettered by the consumer, listed, dry-run, limited, then redriven by the CLI: each handled once, a rerun copies nothing', async () => {
    const topic = uniqueName('rd-kafka');
    const deadLetterTopic = `${topic}.dlt`;
    const running = await startOn(topic, deadLetterTopic);
    for (const reference of ['POISON-P1', 'POISON-P2', 'OK-1']) {
      await client.sendMessage(payment(reference), topic, reference);
    }
    await client.sendMessage(statusEvent('POISON-S1'), topic, 'POISON-S1');
    await waitFor('3 dead letters', () => statusesOf(running)[0].deadLettered === 3);

    const redriver = new KafkaDeadLetterRedriver(client, deadLetterTopic, {
      idleTimeoutMs: 15_000,
    });
    expect(await redriver.count()).toBe(3);
    const listed = await redriver.list();
    expect(listed).toHaveLength(3);
    for (const letter of listed) {
      expect(letter.origin).toBe(topic);
      expect(letter.reason).toMatch(/^handler-error: /);
      expect(letter.id).toBe(`${letter.partition}:${letter.offset}`);
      expect(letter.truncated).toBe(false);
    }
    expect(listed.map((letter) => letter.messageType).sort()).toEqual([
      'PAYMENT',
      'PAYMENT',
      'TRANSACTION_STATUS_UPDATE',
    ]);

    const dryRun = await redriver.redrive({ dryRun: true });
    expect(dryRun).toMatchObject({ dryRun: true, redriven: 3, skipped: 0, failed: 0 });
    expect(await redriver.count()).toBe(3);

    // A filter in a group of its own: the main cursor stays where it is.
    const byType = new KafkaDeadLetterRedriver(client, deadLetterTopic, {
      groupId: `${deadLetterTopic}.types`,
    });
    expect(
      await byType.redrive({ dryRun: true, filter: { messageType: 'TRANSACTION_STATUS_UPDATE' } }),
    ).toMatchObject({ redriven: 1, skipped: 2 });

    running.log.broken = false;
    const limited = await redriver.redrive({ limit: 1 });
    expect(limited).toMatchObject({ redriven: 1, failed: 0, interrupted: false });
    expect(await redriver.count()).toBe(2);

    const run = await runCli(
      suite.cli.main,
      ['dlq', 'redrive', deadLetterTopic, '-t', 'kafka', '--kafka-security-protocol', 'PLAINTEXT'],
      { KAFKA_BOOTSTRAP_SERVERS: brokerVariable('KAFKA_BOOTSTRAP_SERVERS') },
    );
    expect(run.stderr).not.toContain('error:');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${deadLetterTopic}: redriven 2, skipped 0, failed 0`);

    const poison = ['payment:POISON-P1', 'payment:POISON-P2', 'status:POISON-S1'];
    await waitFor('the three redriven messages handled', () =>
      poison.every((entry) => running.log.count(entry) === 1),
    );
    expect(await redriver.count()).toBe(0);
    expect(await redriver.redrive()).toMatchObject({ examined: 0, redriven: 0 });
    await new Promise((done) => setTimeout(done, 1_500));
    expect([...running.log.handled].sort()).toEqual(['payment:OK-1', ...poison].sort());
  });

  it('copies key and value byte for byte with the original headers, without the bus-* ones, and ends although --to is the dead-letter topic itself', async () => {
    const topic = uniqueName('rd-kcopy');
    const deadLetterTopic = `${topic}.dlt`;
    const probe = `${topic}.probe`;
    await createTopic(client, deadLetterTopic, 1);
    await createTopic(client, probe, 1);
    const producer = await client.producer();
    const value = Buffer.from('not json {  "ü": 1 }\n');
    await producer.send({
      topic: deadLetterTopic,
      acks: -1,
      messages: [
        {
          key: 'k-1',
          value,
          headers: {
            'x-team': 'payments',
            'bus-reason': 'invalid-message: body is not valid JSON',
            'bus-original-topic': topic,
            'bus-original-partition': '0',
            'bus-original-offset': '7',
            'bus-attempts': '1',
            'bus-failed-at': new Date().toISOString(),
          },
        },
      ],
    });

    const toProbe = await new KafkaDeadLetterRedriver(client, deadLetterTopic).redrive({
      to: probe,
    });
    expect(toProbe).toMatchObject({ redriven: 1 });
    const [copy] = await readRecords(probe, 1);
    expect(copy.key).toBe('k-1');
    expect(Buffer.compare(copy.value!, value)).toBe(0);
    expect(copy.headers).toEqual({ 'x-team': 'payments' });

    // Onto itself, in a fresh group: reads up to the end offsets of its start, so it ends.
    const onto = await new KafkaDeadLetterRedriver(client, deadLetterTopic, {
      groupId: `${deadLetterTopic}.self`,
    }).redrive({ to: deadLetterTopic });
    expect(onto).toMatchObject({ examined: 1, redriven: 1 });
  });

  it('stops after the record in hand on SIGINT (exit 130); a rerun redrives the rest: each handled once', async () => {
    const topic = uniqueName('rd-kint');
    const deadLetterTopic = `${topic}.dlt`;
    const running = await startOn(topic, deadLetterTopic);
    const references = Array.from({ length: 6 }, (_, index) => `POISON-K${index}`);
    for (const reference of references)
      await client.sendMessage(payment(reference), topic, reference);
    await waitFor('6 dead letters', () => statusesOf(running)[0].deadLettered === 6);
    running.log.broken = false;
    const args = [
      'dlq',
      'redrive',
      deadLetterTopic,
      '-t',
      'kafka',
      '--kafka-security-protocol',
      'PLAINTEXT',
    ];
    const env = { KAFKA_BOOTSTRAP_SERVERS: brokerVariable('KAFKA_BOOTSTRAP_SERVERS') };
    const handled = () =>
      references.filter((reference) => running.log.count(`payment:${reference}`) > 0);

    const first = await runCli(
      suite.cli.main,
      [...args, '--rate', '1'],
      env,
      async () => handled().length > 0,
    );
    expect(first.code).toBe(130);
    expect(first.stdout).toContain('interrupted');
    const redrivenFirst = Number(/redriven (\d+), skipped 0, failed 0/.exec(first.stdout)?.[1]);
    expect(redrivenFirst).toBeGreaterThan(0);
    expect(redrivenFirst).toBeLessThan(6);

    const second = await runCli(suite.cli.main, args, env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`redriven ${6 - redrivenFirst}, skipped 0, failed 0`);
    await waitFor('all six handled', () => handled().length === 6);
    await new Promise((done) => setTimeout(done, 1_500));
    for (const reference of references) expect(running.log.count(`payment:${reference}`)).toBe(1);
  });
});
