import { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { MessageBusConfigurationError } from '../../../../lib/errors/message-bus-configuration.error';
import { resolveSqsClientConfig } from '../../../../lib/transports/sqs/sqs-client-config';
import type { SqsClientOptions } from '../../../../lib/transports/sqs/sqs-client-options.interface';

const LOCAL = 'http://127.0.0.1:9324/000000000000';
const AWS = 'https://sqs.eu-west-1.amazonaws.com/123456789012';

function configurationError(
  options: SqsClientOptions,
  env: Record<string, string> = {},
): MessageBusConfigurationError {
  try {
    resolveSqsClientConfig(options, env);
  } catch (error) {
    expect(error).toBeInstanceOf(MessageBusConfigurationError);
    return error as MessageBusConfigurationError;
  }
  throw new Error('expected a MessageBusConfigurationError');
}

describe('resolveSqsClientConfig', () => {
  it('derives the endpoint from the queue URL origin, defaults the region to eu-west-1 and caches the middleware', () => {
    const config = resolveSqsClientConfig({ queueUrl: LOCAL }, {});
    expect(config.queueUrl).toBe(LOCAL);
    expect(config.sdkConfig).toEqual({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9324',
      cacheMiddleware: true,
    });
  });

  it('takes the region from AWS_REGION, and the option over AWS_REGION', () => {
    expect(
      resolveSqsClientConfig({ queueUrl: LOCAL }, { AWS_REGION: 'us-east-2' }).sdkConfig?.region,
    ).toBe('us-east-2');
    expect(
      resolveSqsClientConfig({ queueUrl: LOCAL, region: 'ap-south-1' }, { AWS_REGION: 'us-east-2' })
        .sdkConfig?.region,
    ).toBe('ap-south-1');
    expect(
      resolveSqsClientConfig({ queueUrl: LOCAL }, { AWS_REGION: '  ' }).sdkConfig?.region,
    ).toBe('eu-west-1');
  });

  it('uses an explicit endpoint over the queue URL origin, without trailing slashes', () => {
    const config = resolveSqsClientConfig(
      { queueUrl: AWS, endpoint: 'https://vpce-1.sqs.example.test/' },
      {},
    );
    expect(config.sdkConfig?.endpoint).toBe('https://vpce-1.sqs.example.test');
  });

  it('strips trailing slashes from the queue URL', () => {
    expect(resolveSqsClientConfig({ queueUrl: `${AWS}//` }, {}).queueUrl).toBe(AWS);
  });

  it('passes explicit credentials and maxAttempts to the SDK', () => {
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
    const config = resolveSqsClientConfig({ queueUrl: AWS, credentials, maxAttempts: 5 }, {});
    expect(config.sdkConfig?.credentials).toBe(credentials);
    expect(config.sdkConfig?.maxAttempts).toBe(5);
  });

  it.each([
    [{ queueUrl: '' }, 'sqs.queueUrl', 'is required'],
    [{ queueUrl: undefined as unknown as string }, 'sqs.queueUrl', 'is required'],
    [{ queueUrl: 'sqs.eu-west-1.amazonaws.com/123' }, 'sqs.queueUrl', 'must be an http(s) URL'],
    [{ queueUrl: 'ftp://host/123' }, 'sqs.queueUrl', 'must be an http(s) URL'],
    [{ queueUrl: `${LOCAL}?Action=ListQueues` }, 'sqs.queueUrl', 'must not have a query'],
    [{ queueUrl: LOCAL, region: 'EU WEST' }, 'sqs.region', 'must be an AWS region'],
    [{ queueUrl: LOCAL, endpoint: 'not a url' }, 'sqs.endpoint', 'must be an http(s) URL'],
    [{ queueUrl: LOCAL, maxAttempts: 0 }, 'sqs.maxAttempts', 'whole number'],
    [
      { queueUrl: AWS, region: 'us-east-1' },
      'sqs.region',
      'set sqs.region (or AWS_REGION) to eu-west-1',
    ],
  ])('rejects %j naming %s', (options, setting, problem) => {
    const error = configurationError(options);
    expect(error.setting).toBe(setting);
    expect(error.message).toContain(setting);
    expect(error.message).toContain(problem);
  });

  it('rejects an AWS_REGION that does not match the AWS host, naming the setting', () => {
    const error = configurationError({ queueUrl: AWS }, { AWS_REGION: 'us-east-1' });
    expect(error.setting).toBe('sqs.region');
  });

  it('rejects user info in the queue URL without echoing the secret', () => {
    const error = configurationError({
      queueUrl: 'http://user:hunter2@127.0.0.1:9324/000000000000',
    });
    expect(error.setting).toBe('sqs.queueUrl');
    expect(error.message).not.toContain('hunter2');
  });

  it('rejects blank credentials without echoing them', () => {
    const error = configurationError({
      queueUrl: LOCAL,
      credentials: { accessKeyId: 'AKIDLEAK', secretAccessKey: '' },
    });
    expect(error.setting).toBe('sqs.credentials');
    expect(error.message).not.toContain('AKIDLEAK');
  });

  it('accepts a client of the caller and builds no SDK config', () => {
    const client = new SQSClient({ region: 'eu-west-1' });
    try {
      expect(resolveSqsClientConfig({ queueUrl: LOCAL, client }, {})).toEqual({ queueUrl: LOCAL });
    } finally {
      client.destroy();
    }
  });

  it('rejects a client combined with SDK settings it would ignore', () => {
    const client = new SQSClient({ region: 'eu-west-1' });
    try {
      const error = configurationError({
        queueUrl: LOCAL,
        client,
        region: 'eu-west-1',
        endpoint: 'http://x',
      });
      expect(error.setting).toBe('sqs.client');
      expect(error.message).toContain('sqs.region, sqs.endpoint');
    } finally {
      client.destroy();
    }
  });

  it('rejects a client that is not an SDK client', () => {
    const error = configurationError({ queueUrl: LOCAL, client: {} as SQSClient });
    expect(error.setting).toBe('sqs.client');
  });
});
