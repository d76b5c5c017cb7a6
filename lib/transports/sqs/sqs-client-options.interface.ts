import type { SQSClient, SQSClientConfig } from '@aws-sdk/client-sqs';
import type { MessageTypeRegistry } from '../../message/message-type-registry';

/** Options of `new SqsClient(...)`; the setting names in errors are these, prefixed with `sqs.`. */
export interface SqsClientOptions {
  /**
   * The base every queue name is appended to, e.g. `https://sqs.eu-west-1.amazonaws.com/123456789012`
   * or `http://127.0.0.1:9324/000000000000`. Its origin is also the SDK endpoint, unless `endpoint` is set.
   */
  queueUrl: string;
  /** Defaults to `AWS_REGION`, then `eu-west-1`. */
  region?: string;
  /** Explicit credentials; without them the SDK's default chain applies (env, profile, IMDS, ...). */
  credentials?: SQSClientConfig['credentials'];
  /** The SDK endpoint, when it is not the origin of `queueUrl` (a proxy, a VPC endpoint). */
  endpoint?: string;
  /** How many times the SDK tries a call before giving up; the SDK's default (3) when unset. */
  maxAttempts?: number;
  /**
   * A ready SDK client to use instead of building one; it stays the caller's, so `close()`
   * leaves it alone. Exclusive with `region`, `credentials`, `endpoint` and `maxAttempts`.
   */
  client?: SQSClient;
  /** Where received envelopes' payload classes are looked up; `defaultMessageTypeRegistry` by default. */
  registry?: MessageTypeRegistry;
}
