import type { QueueAttributeName } from '@aws-sdk/client-sqs';
import { toSqsOperationError } from './sqs-error-mapping';
import { assertQueueName } from './sqs-queue-address';
import type { SqsSdkSession } from './sqs-sdk-session';
import { FIFO_SUFFIX } from './sqs.constants';

/** Queue management for `SqsClient`: create, look up, inspect and delete queues. */
export class SqsQueueAdmin {
  constructor(private readonly session: SqsSdkSession) {}

  async create(name: string, attributes: Readonly<Record<string, string>>): Promise<string> {
    this.session.assertOpen('CreateQueue');
    assertQueueName(name, 'name');
    const queueAttributes: Record<string, string> = { ...attributes };
    if (name.endsWith(FIFO_SUFFIX) && queueAttributes.FifoQueue === undefined)
      queueAttributes.FifoQueue = 'true';
    const output = await this.session.call('CreateQueue', name, (sdk) =>
      sdk.send(
        new this.session.api.CreateQueueCommand({
          QueueName: name,
          ...(Object.keys(queueAttributes).length > 0 ? { Attributes: queueAttributes } : {}),
        }),
      ),
    );
    return output.QueueUrl ?? this.session.queueUrlOf(name);
  }

  async urlOf(name: string): Promise<string> {
    this.session.assertOpen('GetQueueUrl');
    assertQueueName(name, 'name');
    const output = await this.session.call('GetQueueUrl', name, (sdk) =>
      sdk.send(new this.session.api.GetQueueUrlCommand({ QueueName: name })),
    );
    if (!output.QueueUrl)
      throw toSqsOperationError('GetQueueUrl', name, new Error('SQS answered without a QueueUrl'));
    return output.QueueUrl;
  }

  async attributesOf(
    targetQueue: string,
    attributeNames: readonly string[],
  ): Promise<Record<string, string>> {
    this.session.assertOpen('GetQueueAttributes');
    const queueUrl = this.session.queueUrlOf(targetQueue);
    const output = await this.session.call('GetQueueAttributes', queueUrl, (sdk) =>
      sdk.send(
        new this.session.api.GetQueueAttributesCommand({
          QueueUrl: queueUrl,
          AttributeNames: [...attributeNames] as QueueAttributeName[],
        }),
      ),
    );
    return { ...(output.Attributes ?? {}) };
  }

  async delete(targetQueue: string): Promise<void> {
    this.session.assertOpen('DeleteQueue');
    const queueUrl = this.session.queueUrlOf(targetQueue);
    await this.session.call('DeleteQueue', queueUrl, (sdk) =>
      sdk.send(new this.session.api.DeleteQueueCommand({ QueueUrl: queueUrl })),
    );
  }
}
