import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { InstructionType, MessageBusMessage, PaymentPayload } from '../../../lib/index';
import type {
  KafkaClientOptions,
  KafkaLogLevel,
  KafkaLogSink,
} from '../../../lib/transports/kafka/kafka-client-options.interface';
import { KafkaClient } from '../../../lib/transports/kafka/kafka.client';
import { brokerVariable } from '../../support/broker-environment';

const run = promisify(execFile);

/** kafkajs's errors reach the console; KAFKA_TEST_LOG_LEVEL=debug shows more when a test misbehaves. */
export const TEST_LOG_LEVEL = (process.env.KAFKA_TEST_LOG_LEVEL ?? 'error') as KafkaLogLevel;

/** A client on the PLAINTEXT listener. */
export function plaintextClient(options: KafkaClientOptions = {}): KafkaClient {
  return new KafkaClient({
    bootstrapServers: brokerVariable('KAFKA_BOOTSTRAP_SERVERS'),
    securityProtocol: 'PLAINTEXT',
    logLevel: TEST_LOG_LEVEL,
    ...options,
  });
}

export function saslCredentials(): { userName: string; password: string } {
  return {
    userName: brokerVariable('KAFKA_SASL_USERNAME'),
    password: brokerVariable('KAFKA_SASL_PASSWORD'),
  };
}

export function caCertificate(): string {
  return readFileSync(brokerVariable('KAFKA_SSL_CA_FILE'), 'utf8');
}

/** Creates a topic with a set number of partitions, where the auto-created default (3) would not do. */
export async function createTopic(
  client: KafkaClient,
  topic: string,
  numPartitions: number,
): Promise<void> {
  const admin = client.createKafka('admin').admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({
      topics: [{ topic, numPartitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    if (!created) throw new Error(`topic ${topic} already exists`);
  } finally {
    await admin.disconnect();
  }
}

let sequence = 0;

/** A PAYMENT instruction, as the example builds it; `note` makes each one distinct. */
export function paymentMessage(
  note = `${Date.now()}-${(sequence += 1)}`,
): MessageBusMessage<PaymentPayload> {
  const payload = Object.assign(new PaymentPayload(), {
    external_reference: `P-${note}`,
    payer_name: 'Zoë Ünal',
    currency: 'EUR',
    value: '100.00',
    source: 'BANK',
    reference: `REF-${note}`,
    direction: 'INBOUND',
    bank_account_number: 'GB123',
  });
  return MessageBusMessage.create({
    source: 'BANKING_SERVICE',
    instructionType: InstructionType.PAYMENT,
    payload,
    serviceToken: 'service.jwt.token',
  });
}

/** Receives until `count` messages came or `timeoutMs` passed. */
export async function receiveAll(
  client: KafkaClient,
  topic: string,
  count: number,
  options: { groupId?: string; timeoutMs?: number } = {},
) {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const received = [];
  while (received.length < count && Date.now() < deadline) {
    const message = await client.receiveMessage(topic, {
      groupId: options.groupId,
      timeoutMs: 500,
    });
    if (message) received.push(message);
  }
  return received;
}

/** A log sink that keeps every line, for asserting what was (not) logged. */
export function recordingSink(): KafkaLogSink & { readonly text: () => string } {
  const lines: string[] = [];
  const keep = (message: string, context?: unknown) =>
    lines.push(`${message} ${JSON.stringify(context ?? {})}`);
  return { error: keep, warn: keep, info: keep, debug: keep, text: () => lines.join('\n') };
}

/** Runs kcat against the PLAINTEXT listener. */
export async function kcat(args: string[], input?: string): Promise<Buffer> {
  const child = execFile('kcat', ['-b', brokerVariable('KAFKA_BOOTSTRAP_SERVERS'), ...args], {
    encoding: 'buffer',
    timeout: 30_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const output = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => errors.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(chunks))
        : reject(new Error(`kcat exited ${code}: ${Buffer.concat(errors).toString()}`)),
    );
  });
  child.stdin?.end(input ?? '');
  return output;
}

/** Fails the suite with an install hint when kcat is missing, rather than skipping it. */
export async function assertKcatInstalled(): Promise<void> {
  try {
    await run('kcat', ['-V']);
  } catch {
    throw new Error(
      'kcat is not installed: apt-get install -y kcat (or run scripts/brokers/install-prereqs.sh)',
    );
  }
}
