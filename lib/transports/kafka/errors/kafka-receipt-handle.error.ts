import { MessageBusError } from '../../../errors/message-bus.error';

/**
 * Why a receipt handle cannot be committed:
 * - `malformed`: not `topic:partition:offset`;
 * - `topic-mismatch`: the handle names another topic than the one passed with it;
 * - `not-delivered`: no consumer of this client handed it out since its last rebalance
 *   (never received here, or received before a rebalance restarted the partition);
 * - `ambiguous`: consumers of several groups handed it out; pass the group to commit in.
 */
export type KafkaReceiptHandleProblem =
  'malformed' | 'topic-mismatch' | 'not-delivered' | 'ambiguous';

const MAX_SHOWN = 200;

/** `commitOffset` was given a receipt handle it cannot commit; nothing was committed. */
export class KafkaReceiptHandleError extends MessageBusError {
  override readonly name: string = 'KafkaReceiptHandleError';
  /** The handle as given, cut to 200 characters. */
  readonly receiptHandle: string;

  constructor(
    receiptHandle: string,
    readonly problem: KafkaReceiptHandleProblem,
    readonly context: { readonly topic?: string; readonly groupIds?: readonly string[] } = {},
  ) {
    const shown =
      receiptHandle.length > MAX_SHOWN ? `${receiptHandle.slice(0, MAX_SHOWN)}...` : receiptHandle;
    super(`Kafka receipt handle "${shown}" ${explain(problem, context)}`);
    this.receiptHandle = shown;
  }
}

function explain(
  problem: KafkaReceiptHandleProblem,
  context: { topic?: string; groupIds?: readonly string[] },
): string {
  const groups = context.groupIds?.length ? ` (groups ${context.groupIds.join(', ')})` : '';
  switch (problem) {
    case 'malformed':
      return 'is malformed: pass the receiptHandle that KafkaClient.receiveMessage returned, "topic:partition:offset"';
    case 'topic-mismatch':
      return `is not a handle of topic ${context.topic}: commit it with the topic it was received from`;
    case 'not-delivered':
      return (
        `was not handed out by this client's consumer of topic ${context.topic}${groups} since its last rebalance: ` +
        'commit only handles receiveMessage returned on this client; a message received before a rebalance is delivered again'
      );
    case 'ambiguous':
      return `was handed out in several consumer groups of topic ${context.topic}${groups}: pass the groupId to commit it in`;
  }
}
