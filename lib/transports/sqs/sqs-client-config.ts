import type { SQSClientConfig } from '@aws-sdk/client-sqs';
import { MessageBusConfigurationError } from '../../errors/message-bus-configuration.error';
import {
  isNonBlank,
  rejectUnknownKeys,
  wholeNumber,
  type OptionKeys,
} from '../../options/option-checks';
import { normaliseBaseQueueUrl } from './sqs-queue-address';
import { SQS_DEFAULT_REGION } from './sqs.constants';
import type { SqsClientOptions } from './sqs-client-options.interface';

/** The settings an `SqsClient` runs with, checked and with every default applied. */
export interface ResolvedSqsClientConfig {
  /** The base URL, without trailing slashes. */
  readonly queueUrl: string;
  /** The SDK config to build a client from; absent when the caller passed a client of their own. */
  readonly sdkConfig?: SQSClientConfig;
}

/** AWS regions (`eu-west-1`, `us-gov-west-1`) and the single words some emulators use. */
const REGION = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** `sqs.<region>.amazonaws.com` (and `sqs-fips.`, `.com.cn`): the region AWS will expect the signature for. */
const AWS_SQS_HOST = /^sqs(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
const SDK_SETTINGS = ['region', 'credentials', 'endpoint', 'maxAttempts'] as const;
const SQS_CLIENT_OPTION_KEYS: OptionKeys<SqsClientOptions> = {
  queueUrl: true,
  region: true,
  credentials: true,
  endpoint: true,
  maxAttempts: true,
  client: true,
  registry: true,
};

/**
 * Checks the options and applies the defaults: the region from the option, then `AWS_REGION`,
 * then `eu-west-1`; the endpoint from the option, else the origin of `queueUrl` (so a local
 * emulator needs one URL only). Throws `MessageBusConfigurationError` naming the setting.
 */
export function resolveSqsClientConfig(
  options: SqsClientOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResolvedSqsClientConfig {
  if (options === null || typeof options !== 'object') {
    throw new MessageBusConfigurationError(
      'sqs',
      'must be an options object with at least queueUrl',
    );
  }
  rejectUnknownKeys(options, SQS_CLIENT_OPTION_KEYS, 'sqs');
  const queueUrl = normaliseBaseQueueUrl(options.queueUrl);

  if (options.client !== undefined) {
    const clashing = SDK_SETTINGS.filter((setting) => options[setting] !== undefined);
    if (clashing.length > 0) {
      throw new MessageBusConfigurationError(
        'sqs.client',
        `cannot be combined with ${clashing.map((setting) => `sqs.${setting}`).join(', ')}: ` +
          'configure the SDK client you pass, or drop sqs.client',
      );
    }
    if (
      typeof options.client !== 'object' ||
      options.client === null ||
      typeof options.client.send !== 'function'
    ) {
      throw new MessageBusConfigurationError(
        'sqs.client',
        'must be an SQSClient from @aws-sdk/client-sqs',
      );
    }
    return { queueUrl };
  }

  const region = resolveRegion(options.region, env);
  const endpoint = resolveEndpoint(options.endpoint, queueUrl);
  assertRegionMatchesAwsHost(region, endpoint);
  // The middleware stack is resolved once per command rather than on every call: about a
  // fifth of a request's CPU time, and requests are most of a consumer's (the library adds no
  // middleware after the client is built).
  const sdkConfig: SQSClientConfig = { region, endpoint, cacheMiddleware: true };
  if (options.credentials !== undefined)
    sdkConfig.credentials = checkCredentials(options.credentials);
  if (options.maxAttempts !== undefined) {
    sdkConfig.maxAttempts = wholeNumber(options.maxAttempts, 'sqs.maxAttempts', 1);
  }
  return { queueUrl, sdkConfig };
}

function resolveRegion(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (option !== undefined) {
    if (typeof option !== 'string' || !REGION.test(option)) {
      throw new MessageBusConfigurationError(
        'sqs.region',
        `must be an AWS region such as eu-west-1, got "${String(option)}"`,
      );
    }
    return option;
  }
  const fromEnv = env.AWS_REGION?.trim();
  if (fromEnv) {
    if (!REGION.test(fromEnv)) {
      throw new MessageBusConfigurationError(
        'sqs.region',
        `is unset and AWS_REGION "${fromEnv}" is not an AWS region: set either to one such as eu-west-1`,
      );
    }
    return fromEnv;
  }
  return SQS_DEFAULT_REGION;
}

function resolveEndpoint(option: string | undefined, queueUrl: string): string {
  if (option === undefined) return new URL(queueUrl).origin;
  let url: URL | undefined;
  try {
    url = new URL(option);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new MessageBusConfigurationError(
      'sqs.endpoint',
      `must be an http(s) URL, got "${String(option)}"`,
    );
  }
  return option.replace(/\/+$/, '');
}

/** A region other than the host's makes every AWS call fail with a signature error; say so up front. */
function assertRegionMatchesAwsHost(region: string, endpoint: string): void {
  const hostRegion = AWS_SQS_HOST.exec(new URL(endpoint).hostname)?.[1];
  if (hostRegion && hostRegion !== region) {
    throw new MessageBusConfigurationError(
      'sqs.region',
      `is ${region} but the SQS endpoint ${endpoint} is in ${hostRegion}: set sqs.region (or AWS_REGION) to ${hostRegion}`,
    );
  }
}

function checkCredentials(
  credentials: NonNullable<SQSClientConfig['credentials']>,
): SQSClientConfig['credentials'] {
  if (typeof credentials === 'function') return credentials;
  const given = credentials as { accessKeyId?: unknown; secretAccessKey?: unknown };
  if (
    typeof credentials !== 'object' ||
    credentials === null ||
    !isNonBlank(given.accessKeyId) ||
    !isNonBlank(given.secretAccessKey)
  ) {
    // The values stay out of the message: they are secrets.
    throw new MessageBusConfigurationError(
      'sqs.credentials',
      'must have a non-empty accessKeyId and secretAccessKey, or be a credential provider function; omit it to use the default AWS credential chain',
    );
  }
  return credentials;
}
