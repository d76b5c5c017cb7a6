import { MessageBusConfigurationError } from '../../../errors/message-bus-configuration.error';

/**
 * No AWS credentials: `sqs.credentials` is unset and the SDK's default chain (environment,
 * shared files, SSO, container or instance role) found none. A setting to fix, so it is said
 * once, when the SQS consumers start (or by the call that met it), and never retried.
 */
export class SqsCredentialsMissingError extends MessageBusConfigurationError {
  override readonly name: string = 'SqsCredentialsMissingError';

  /** @param detail the SDK's own sentence, e.g. `Could not load credentials from any providers` */
  constructor(
    readonly detail?: string,
    options?: { cause?: unknown },
  ) {
    super(
      'sqs.credentials',
      `is unset and the AWS SDK found no credentials${detail ? ` (${detail})` : ''}: set sqs.credentials, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, or run the app with an IAM role`,
      options,
    );
  }
}
