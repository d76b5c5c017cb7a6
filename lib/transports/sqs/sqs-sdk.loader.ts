import type * as SqsSdk from '@aws-sdk/client-sqs';
import { loadOptionalPackage } from '../optional-package.loader';

/** The `@aws-sdk/client-sqs` module: its client and command classes. */
export type SqsSdkModule = typeof SqsSdk;

/**
 * `@aws-sdk/client-sqs`, loaded when an `SqsClient` is built (that is, when `sqs` is
 * configured) and kept: a Kafka-only app never loads it, so it need not install it.
 */
export function loadSqsSdk(): SqsSdkModule {
  return loadOptionalPackage<SqsSdkModule>('@aws-sdk/client-sqs', {
    setting: 'sqs',
    feature: 'the SQS transport',
  });
}
