import { SqsInvalidArgumentError } from './errors/sqs-invalid-argument.error';
import type { SqsBatchResult, SqsVisibilityChange } from './sqs-batch-result.interface';
import { runSqsBatches } from './sqs-batch.runner';
import { chunkBatch } from './sqs-batching';
import { checkReceiptHandle, checkWholeNumber } from './sqs-call-checks';
import type { SqsSdkSession } from './sqs-sdk-session';
import { SQS_MAX_VISIBILITY_TIMEOUT_SECONDS } from './sqs.constants';

/**
 * What `SqsClient` does with the receipt handle of a received message: delete it (the
 * acknowledgement that it was handled) or change its visibility (extend work in progress,
 * or schedule a retry), one at a time or 10 per request.
 */
export class SqsReceiptHandles {
  constructor(private readonly session: SqsSdkSession) {}

  async delete(targetQueue: string, receiptHandle: string): Promise<void> {
    this.session.assertOpen('DeleteMessage');
    const queueUrl = this.session.queueUrlOf(targetQueue);
    checkReceiptHandle(receiptHandle, 'receiptHandle');
    await this.session.call('DeleteMessage', queueUrl, (sdk) =>
      sdk.send(
        new this.session.api.DeleteMessageCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: receiptHandle,
        }),
      ),
    );
  }

  async deleteMany(
    targetQueue: string,
    receiptHandles: readonly string[],
  ): Promise<SqsBatchResult> {
    this.session.assertOpen('DeleteMessageBatch');
    const queueUrl = this.session.queueUrlOf(targetQueue);
    if (!Array.isArray(receiptHandles))
      throw new SqsInvalidArgumentError('receiptHandles', 'must be an array');
    receiptHandles.forEach((handle, index) =>
      checkReceiptHandle(handle, `receiptHandles[${index}]`),
    );
    const entries = receiptHandles.map((receiptHandle, index) => ({ index, receiptHandle }));
    return runSqsBatches(this.session, {
      operation: 'DeleteMessageBatch',
      queueUrl,
      chunks: chunkBatch(entries, () => 0),
      rejected: [],
      send: (sdk, chunk) =>
        sdk.send(
          new this.session.api.DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((entry) => ({
              Id: String(entry.index),
              ReceiptHandle: entry.receiptHandle,
            })),
          }),
        ),
      toSuccess: (index) => ({ index }),
    });
  }

  async changeVisibility(
    targetQueue: string,
    receiptHandle: string,
    visibilityTimeout: number,
  ): Promise<void> {
    this.session.assertOpen('ChangeMessageVisibility');
    const queueUrl = this.session.queueUrlOf(targetQueue);
    checkReceiptHandle(receiptHandle, 'receiptHandle');
    checkWholeNumber(visibilityTimeout, 'visibilityTimeout', 0, SQS_MAX_VISIBILITY_TIMEOUT_SECONDS);
    await this.session.call('ChangeMessageVisibility', queueUrl, (sdk) =>
      sdk.send(
        new this.session.api.ChangeMessageVisibilityCommand({
          QueueUrl: queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: visibilityTimeout,
        }),
      ),
    );
  }

  async changeVisibilityMany(
    targetQueue: string,
    changes: readonly SqsVisibilityChange[],
  ): Promise<SqsBatchResult> {
    this.session.assertOpen('ChangeMessageVisibilityBatch');
    const queueUrl = this.session.queueUrlOf(targetQueue);
    if (!Array.isArray(changes)) throw new SqsInvalidArgumentError('changes', 'must be an array');
    changes.forEach((change, index) => {
      checkReceiptHandle(change?.receiptHandle, `changes[${index}].receiptHandle`);
      checkWholeNumber(
        change.visibilityTimeout,
        `changes[${index}].visibilityTimeout`,
        0,
        SQS_MAX_VISIBILITY_TIMEOUT_SECONDS,
      );
    });
    const entries = changes.map((change, index) => ({ index, ...change }));
    return runSqsBatches(this.session, {
      operation: 'ChangeMessageVisibilityBatch',
      queueUrl,
      chunks: chunkBatch(entries, () => 0),
      rejected: [],
      send: (sdk, chunk) =>
        sdk.send(
          new this.session.api.ChangeMessageVisibilityBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((entry) => ({
              Id: String(entry.index),
              ReceiptHandle: entry.receiptHandle,
              VisibilityTimeout: entry.visibilityTimeout,
            })),
          }),
        ),
      toSuccess: (index) => ({ index }),
    });
  }
}
