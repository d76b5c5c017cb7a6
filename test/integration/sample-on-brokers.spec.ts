import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { brokerVariable } from '../support/broker-environment';

const ROOT = resolve(__dirname, '../..');

/** `SAMPLE_TRANSPORT=sqs|kafka npm run sample`, as the README says, against the real brokers. */
describe('the sample app on the real buses', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
    execFileSync('npx', ['tsc', '-p', 'sample/tsconfig.json'], { cwd: ROOT, stdio: 'pipe' });
  });

  it.each([
    ['sqs', { SQS_QUEUE_URL: `${brokerVariable('SQS_ENDPOINT')}/000000000000` }],
    [
      'kafka',
      {
        KAFKA_BOOTSTRAP_SERVERS: brokerVariable('KAFKA_BOOTSTRAP_SERVERS'),
        KAFKA_API_PROTOCOL: 'PLAINTEXT',
      },
    ],
  ])('completes the PAYMENT → status update flow on %s', (transport, env) => {
    const run = spawnSync('node', ['dist-sample/main.js'], {
      cwd: ROOT,
      env: { ...process.env, ...env, SAMPLE_TRANSPORT: transport },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`Publishing PAYMENT REF-\\d+ on ${transport}:payments`));
    expect(run.stdout).toMatch(
      /Flow complete: REF-\d+ went PAYMENT → recorded → TRANSACTION_STATUS_UPDATE \(RECORDED\)/,
    );
  });
});
