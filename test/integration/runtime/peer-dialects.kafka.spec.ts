import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Test, type TestingModule } from '@nestjs/testing';
import { MessageBusModule } from 'nestjs-message-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerVariable } from '../../support/broker-environment';
import { RUST_SAMPLES, rustMessage } from '../../support/rust-samples';
import { peerPython } from '../kafka/group-peers';
import { assertKcatInstalled, kcat } from '../kafka/kafka-test-support';
import {
  committedOffsets,
  createTopics,
  kafkaOptions,
  readRecords,
  sleep,
  statusOf,
  uniqueName,
  waitUntil,
} from './kafka/kafka-runtime-kit';
import {
  expectedFromRust,
  HANDLED,
  PAYMENT_REQUIRED_FIELDS,
  PEER_HANDLERS,
  PYTHON_CASES,
  PYTHON_INVALID_PAYMENT,
  sortedHandled,
} from './peer-dialects-kit';

const run = promisify(execFile);
const PYTHON_PRODUCER = resolve(__dirname, '../kafka/peers/kafka_python_producer.py');

const topic = uniqueName('peer-dialects');
const groupId = uniqueName('peer-dialects-group');
const rustBodies = RUST_SAMPLES.map((sample) =>
  rustMessage(
    sample.kind === 'instruction' ? 'instruction_type' : 'event',
    sample.type,
    sample.rust,
  ),
);
const pythonMessages = [...PYTHON_CASES.map((entry) => entry.message), PYTHON_INVALID_PAYMENT];
const total = rustBodies.length + pythonMessages.length;

/** kafka-python sends each envelope as the Python client does; returns the bodies it wrote. */
async function produceWithKafkaPython(messages: readonly object[]): Promise<string[]> {
  const entries = messages.map((message, index) => ({ key: `python-${index}`, message }));
  const { stdout } = await run(
    peerPython(),
    [PYTHON_PRODUCER, brokerVariable('KAFKA_BOOTSTRAP_SERVERS'), topic, JSON.stringify(entries)],
    { timeout: 30_000 },
  );
  return (JSON.parse(stdout) as { bodies: string[] }).bodies;
}

describe('a Nest consumer on a topic the Rust client (kcat) and the Python client (kafka-python) write to', () => {
  let app: TestingModule;
  let pythonBodies: string[];

  beforeAll(async () => {
    await assertKcatInstalled();
    HANDLED.length = 0;
    await createTopics(topic, 1);
    app = await Test.createTestingModule({
      imports: [
        MessageBusModule.forRoot({
          transport: 'kafka',
          kafka: kafkaOptions(),
          consumers: {
            kafka: [{ topic, groupId, retry: { maxAttempts: 2, initialDelayMs: 100 } }],
          },
          shutdownTimeoutMs: 10_000,
        }),
      ],
      controllers: [PEER_HANDLERS[0]],
      providers: [PEER_HANDLERS[1]],
    }).compile();
    await app.init();

    // librdkafka, what the Rust client is built on, writes each Rust text byte for byte.
    const lines = rustBodies.map((body, index) => `rust-${index}\t${body}\n`).join('');
    await kcat(['-P', '-t', topic, '-K', '\t', '-X', 'acks=all'], lines);
    pythonBodies = await produceWithKafkaPython(pythonMessages);

    // Every record settled, one way or the other; what each became is asserted below.
    await waitUntil(
      () => statusOf(app).handled + statusOf(app).deadLettered >= total,
      30_000,
      () => `${total} records settled (${JSON.stringify(statusOf(app))})`,
    );
  });

  afterAll(async () => {
    await app?.close();
  });

  it('carries the peers’ bytes unchanged: the Rust texts, and json.dumps from kafka-python', async () => {
    const records = await readRecords(topic, total);
    expect(records.map((entry) => entry.value?.toString('utf8'))).toEqual([
      ...rustBodies,
      ...pythonBodies,
    ]);
    // The Python client's format: ", " and ": " separators, non-ASCII escaped.
    expect(pythonBodies[0]).toContain('"payer_name": "", "currency": "EUR"');
    expect(pythonBodies[0]).toContain('"ip_address": ""');
  });

  it('hands every Rust-written type to its handler with the expected DTO, fields and dialect', () => {
    const rust = HANDLED.filter((call) => !call.idempotencyKey.startsWith('py-'));
    expect(sortedHandled(rust)).toEqual(sortedHandled(RUST_SAMPLES.map(expectedFromRust)));
  });

  it('reads the Python client’s tolerant-reader cases as Python does', () => {
    const python = HANDLED.filter((call) => call.idempotencyKey.startsWith('py-'));
    expect(sortedHandled(python)).toEqual(sortedHandled(PYTHON_CASES.map((c) => c.expected)));
  });

  it('dead-letters only the PAYMENT with no payload, naming each missing field, and commits past all', async () => {
    expect(statusOf(app)).toMatchObject({ handled: total - 1, deadLettered: 1, retried: 0 });
    const [letter] = await readRecords(`${topic}.dlq`, 1);
    expect(letter.value?.toString('utf8')).toBe(pythonBodies[pythonBodies.length - 1]);
    const reason = letter.headers['bus-reason'];
    expect(reason).toMatch(/^invalid-message: /);
    for (const field of PAYMENT_REQUIRED_FIELDS) expect(reason).toContain(field);

    // The next offset to read, on the topic's one partition: every record was settled.
    let committed = -1;
    const deadline = Date.now() + 10_000;
    while (committed !== total && Date.now() < deadline) {
      committed = (await committedOffsets(groupId, topic)).get(0) ?? -1;
      if (committed !== total) await sleep(100);
    }
    expect(committed).toBe(total);
  });
});
