import { MessageBusConfigurationError } from './message-bus-configuration.error';

/**
 * A transport or feature is configured but the optional peer package it runs on is not
 * installed: `kafkajs` for `kafka`, `@aws-sdk/client-sqs` for `sqs`. Thrown when the
 * transport is first configured (module start-up, or `new KafkaClient()` / `new SqsClient()`).
 */
export class MissingOptionalPackageError extends MessageBusConfigurationError {
  override readonly name: string = 'MissingOptionalPackageError';
  /** The command that installs it, e.g. `npm install kafkajs`. */
  readonly installCommand: string;

  /**
   * @param packageName the npm package, e.g. `kafkajs`
   * @param setting the option that asks for it, e.g. `kafka`
   * @param feature what needs it, e.g. `the Kafka transport`
   */
  constructor(
    readonly packageName: string,
    setting: string,
    readonly feature: string,
    options?: { cause?: unknown },
  ) {
    super(
      setting,
      `is set, but ${feature} needs the package ${packageName}, which is not installed: run npm install ${packageName}`,
      options,
    );
    this.installCommand = `npm install ${packageName}`;
  }
}
