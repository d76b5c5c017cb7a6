import { QueueDoesNotExist, SQSServiceException } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { MessageBusError } from '../../../../lib/errors/message-bus.error';
import { SqsBatchError } from '../../../../lib/transports/sqs/errors/sqs-batch.error';
import { SqsClientClosedError } from '../../../../lib/transports/sqs/errors/sqs-client-closed.error';
import { SqsInvalidArgumentError } from '../../../../lib/transports/sqs/errors/sqs-invalid-argument.error';
import { SqsOperationError } from '../../../../lib/transports/sqs/errors/sqs-operation.error';
import { SqsQueueDoesNotExistError } from '../../../../lib/transports/sqs/errors/sqs-queue-does-not-exist.error';
import { toSqsOperationError } from '../../../../lib/transports/sqs/sqs-error-mapping';

const QUEUE = 'http://127.0.0.1:9324/000000000000/payments';

function sdkError(
  name: string,
  fault: 'client' | 'server',
  extra: Record<string, unknown> = {},
): SQSServiceException {
  return Object.assign(
    new SQSServiceException({
      name,
      $fault: fault,
      $metadata: { httpStatusCode: fault === 'client' ? 400 : 500, requestId: 'req-1' },
      message: `${name} happened`,
    }),
    extra,
  );
}

describe('toSqsOperationError', () => {
  it('names the operation, queue and SQS code, and keeps the SDK error as cause', () => {
    const cause = sdkError('ThrottlingException', 'client', { $retryable: { throttling: true } });
    const error = toSqsOperationError('SendMessage', QUEUE, cause);
    expect(error).toBeInstanceOf(SqsOperationError);
    expect(error).toBeInstanceOf(MessageBusError);
    expect(error.name).toBe('SqsOperationError');
    expect(error.message).toBe(
      `SQS SendMessage on queue ${QUEUE} failed with ThrottlingException: ThrottlingException happened`,
    );
    expect(error).toMatchObject({
      operation: 'SendMessage',
      queue: QUEUE,
      code: 'ThrottlingException',
      senderFault: true,
      retryable: true,
      httpStatusCode: 400,
      requestId: 'req-1',
    });
    expect(error.cause).toBe(cause);
  });

  it("marks server faults as not the sender's", () => {
    expect(
      toSqsOperationError('ReceiveMessage', QUEUE, sdkError('InternalError', 'server')).senderFault,
    ).toBe(false);
  });

  it.each([
    [
      'the SDK exception class',
      new QueueDoesNotExist({ $metadata: {}, message: 'The specified queue does not exist.' }),
    ],
    [
      'the query-compatible code (moto)',
      sdkError('QueueDoesNotExist', 'client', { Code: 'AWS.SimpleQueueService.NonExistentQueue' }),
    ],
    ['the query code as name', sdkError('AWS.SimpleQueueService.NonExistentQueue', 'client')],
  ])('maps a missing queue from %s to SqsQueueDoesNotExistError', (_label, cause) => {
    const error = toSqsOperationError('ReceiveMessage', QUEUE, cause);
    expect(error).toBeInstanceOf(SqsQueueDoesNotExistError);
    expect(error).toBeInstanceOf(SqsOperationError);
    expect(error.name).toBe('SqsQueueDoesNotExistError');
    expect(error.code).toBe('QueueDoesNotExist');
    expect(error.message).toContain(QUEUE);
    expect(error.message).toContain('create it, or check the queue name');
  });

  it('maps errors that are not SDK errors, and truncates long details', () => {
    const error = toSqsOperationError(
      'DeleteMessage',
      QUEUE,
      Object.assign(new Error('x'.repeat(1000)), { name: 'TimeoutError' }),
    );
    expect(error.code).toBe('TimeoutError');
    expect(error.senderFault).toBeUndefined();
    expect(error.detail?.length).toBe(303);
    expect(toSqsOperationError('DeleteMessage', QUEUE, 'boom').code).toBe('UnknownError');
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9324'), {
      code: 'ECONNREFUSED',
    });
    expect(toSqsOperationError('DeleteMessage', QUEUE, refused).code).toBe('ECONNREFUSED');
  });

  it('returns an SqsOperationError unchanged', () => {
    const error = toSqsOperationError('A', QUEUE, sdkError('X', 'client'));
    expect(toSqsOperationError('B', QUEUE, error)).toBe(error);
  });
});

describe('SQS error classes', () => {
  it('SqsBatchError lists the first failures and carries all of them', () => {
    const failed = [0, 3, 4, 7].map((index) => ({
      index,
      code: 'InvalidParameterValue',
      reason: 'bad',
      senderFault: true,
    }));
    const error = new SqsBatchError(
      'SendMessageBatch',
      QUEUE,
      [{ index: 1 }, { index: 2 }],
      failed,
    );
    expect(error.name).toBe('SqsBatchError');
    expect(error).toBeInstanceOf(MessageBusError);
    expect(error.message).toBe(
      `SQS SendMessageBatch on queue ${QUEUE}: 4 of 6 entries failed (#0 InvalidParameterValue, #3 InvalidParameterValue, #4 InvalidParameterValue, and 1 more); the error lists each failed index: retry those`,
    );
    expect(error.failedIndexes).toEqual([0, 3, 4, 7]);
    expect(error.successful).toHaveLength(2);
  });

  it('SqsInvalidArgumentError and SqsClientClosedError name what to fix', () => {
    const invalid = new SqsInvalidArgumentError('options.delaySeconds', 'must be 0-900');
    expect(invalid).toMatchObject({
      name: 'SqsInvalidArgumentError',
      argument: 'options.delaySeconds',
      problem: 'must be 0-900',
    });
    expect(invalid.message).toBe('Invalid SQS call: options.delaySeconds must be 0-900');
    const closed = new SqsClientClosedError('SendMessage');
    expect(closed).toMatchObject({ name: 'SqsClientClosedError', operation: 'SendMessage' });
    expect(closed.message).toContain('after SqsClient.close()');
  });
});
