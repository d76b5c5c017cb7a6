import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { sqsEndpoint } from '../../support/broker-environment';
import { buildPaymentMessage } from '../../support/payment-message';
import { MessageBusMessage } from '../../../lib/message/message-bus-message';
import { SqsClient } from '../../../lib/transports/sqs/sqs.client';

const run = promisify(execFile);

/** ElasticMQ's account as brokers.sh configures it; moto takes any account in the URL. */
export const ACCOUNT_ID = '000000000000';
export const DUMMY_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const SERVICE_TOKEN = 'integration.service.token';

/** Client settings for the emulator this project targets (ElasticMQ, or moto under integration-moto). */
export function emulatorSqsOptions() {
  return {
    queueUrl: `${sqsEndpoint()}/${ACCOUNT_ID}`,
    region: 'eu-west-1',
    credentials: DUMMY_CREDENTIALS,
  };
}

/** A client for the emulator this project targets. */
export function integrationClient(): SqsClient {
  return new SqsClient(emulatorSqsOptions());
}

export function paymentMessage(reference = 'P123', idempotencyKey?: string): MessageBusMessage {
  return buildPaymentMessage({
    reference: 'REF123',
    externalReference: reference,
    payerName: 'Zoë Müller',
    serviceToken: SERVICE_TOKEN,
    idempotencyKey,
  });
}

/** Messages waiting plus messages in flight, as SQS counts them. */
export async function queueDepth(
  client: SqsClient,
  queue: string,
): Promise<{ visible: number; inFlight: number }> {
  const attributes = await client.getQueueAttributes(queue, [
    'ApproximateNumberOfMessages',
    'ApproximateNumberOfMessagesNotVisible',
  ]);
  return {
    visible: Number(attributes.ApproximateNumberOfMessages),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible),
  };
}

const PEER_SCRIPT = resolve(__dirname, 'boto3_peer.py');

/** The moto virtualenv's Python, which brokers.sh installs with boto3. */
function python(): string {
  const cache = process.env.MESSAGE_BUS_CACHE ?? join(homedir(), '.cache', 'nestjs-message-bus');
  return join(cache, 'moto-venv', 'bin', 'python');
}

/** Runs the boto3 peer script against the current emulator and returns what it printed. */
export async function boto3Peer<T>(...args: string[]): Promise<T> {
  const { stdout } = await run(python(), [PEER_SCRIPT, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      SQS_ENDPOINT_URL: sqsEndpoint(),
      AWS_ACCESS_KEY_ID: DUMMY_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DUMMY_CREDENTIALS.secretAccessKey,
      AWS_REGION: 'eu-west-1',
      // Keep the developer's AWS profile and config out of the test.
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    },
    timeout: 45_000,
  });
  return JSON.parse(stdout) as T;
}
