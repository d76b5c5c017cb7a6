/** The connection flags every `dlq` command takes; the environment fills what is not given. */
export interface CliConnectionOptions {
  readonly transport: 'sqs' | 'kafka';
  readonly sqsQueueUrl?: string;
  readonly sqsEndpoint?: string;
  readonly awsAccountId?: string;
  readonly region?: string;
  readonly kafkaBrokers?: string;
  readonly kafkaSecurityProtocol?: string;
  readonly kafkaUser?: string;
  readonly group?: string;
}
