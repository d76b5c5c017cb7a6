import type { MessageAttributeValue } from '@aws-sdk/client-sqs';
import { SQS_DEAD_LETTER_ATTRIBUTES } from '../transports/sqs/consumer/sqs-consumer.constants';
import { isFifoQueueUrl, queueNameOf } from '../transports/sqs/sqs-queue-address';
import type { SqsReceivedMessage } from '../transports/sqs/sqs-received-message.interface';
import type { SqsClient } from '../transports/sqs/sqs.client';
import type { DeadLetter } from './dead-letter.interface';
import type { DeadLetterRedriver } from './dead-letter-redriver.interface';
import { describeDeadLetter } from './dead-letter-description';
import { filterMismatch } from './dead-letter-filter';
import type { ListDeadLettersOptions, RedriveOptions } from './redrive-options.interface';
import type { RedriveSummary } from './redrive-summary.interface';
import { DeadLetterListing, startRedriveRun } from './redrive-run';

/** Options of `new SqsDeadLetterRedriver(...)`. */
export interface SqsDeadLetterRedriverOptions {
  /**
   * Seconds a dead letter the run has read stays hidden from other readers (default 60): the
   * ones it leaves alone are made visible again when the run ends; a run killed hard leaves
   * them hidden this long, never lost.
   */
  readonly visibilityTimeout?: number;
  /** Long-poll wait of each receive, 0-20 s (default 1): an empty receive ends the run. */
  readonly waitTimeSeconds?: number;
}

const NOT_SENT = new Set<string>(Object.values(SQS_DEAD_LETTER_ATTRIBUTES));

/**
 * Lists and redrives an SQS dead-letter queue written by `SqsConsumer`. Each dead letter is
 * received (hidden for `visibilityTimeout`), copied with its body byte for byte and its
 * attributes less the `bus-*` ones, and deleted only after SQS acknowledged the copy. The ones
 * it does not redrive stay hidden until the run ends, so that each is read once per run, and
 * are then made visible again. Copies sent back to the dead-letter queue itself are recognised
 * by their MessageId and not read again, so every run ends.
 */
export class SqsDeadLetterRedriver implements DeadLetterRedriver {
  readonly source: string;
  private readonly queueUrl: string;
  private readonly visibilityTimeout: number;
  private readonly waitTimeSeconds: number;

  constructor(
    private readonly client: SqsClient,
    deadLetterQueue: string,
    options: SqsDeadLetterRedriverOptions = {},
  ) {
    this.queueUrl = client.resolveQueueUrl(deadLetterQueue);
    this.source = queueNameOf(this.queueUrl);
    this.visibilityTimeout = options.visibilityTimeout ?? 60;
    this.waitTimeSeconds = options.waitTimeSeconds ?? 1;
  }

  async count(): Promise<number> {
    const attributes = await this.client.getQueueAttributes(this.queueUrl, [
      'ApproximateNumberOfMessages',
    ]);
    return Number(attributes.ApproximateNumberOfMessages) || 0;
  }

  async list(options: ListDeadLettersOptions = {}): Promise<DeadLetter[]> {
    const listing = new DeadLetterListing(options);
    await this.visit(options.signal, async (letter) => (listing.take(letter) ? 'stop' : 'keep'));
    return listing.found;
  }

  async redrive(options: RedriveOptions = {}): Promise<RedriveSummary> {
    const { tally, pacer, signal } = startRedriveRun(options);
    const interrupted = await this.visit(signal, async (letter, received, ownCopies) => {
      if (tally.full) return 'stop';
      const mismatch = filterMismatch(letter, options.filter);
      if (mismatch !== undefined) {
        tally.record(letter, 'skipped', mismatch);
        return 'keep';
      }
      const target = options.to ?? letter.origin;
      if (target === undefined) {
        tally.record(letter, 'skipped', `no ${SQS_DEAD_LETTER_ATTRIBUTES.sourceQueue}: pass --to`);
        return 'keep';
      }
      if (options.dryRun) {
        tally.record(letter, 'redriven');
        return tally.full ? 'stop' : 'keep';
      }
      if (!(await pacer.wait(signal))) return 'stop';
      let copyId: string;
      try {
        copyId = await this.sendCopy(received, target);
      } catch (error) {
        tally.record(letter, 'failed', `copy refused: ${(error as Error).message}`);
        return 'keep';
      }
      if (this.client.resolveQueueUrl(target) === this.queueUrl) ownCopies.add(copyId);
      try {
        await this.client.deleteMessage(this.queueUrl, received.receiptHandle);
      } catch (error) {
        // The copy is stored: the dead letter comes back after its visibility timeout and a
        // later run would copy it again. Reported, so that an operator can delete it.
        tally.record(letter, 'failed', `copied but not deleted: ${(error as Error).message}`);
        return 'done';
      }
      tally.record(letter, 'redriven');
      return tally.full ? 'done-stop' : 'done';
    });
    return tally.summary(interrupted);
  }

  /**
   * Receives the queue until a receive comes back empty, `signal` aborts or `each` says stop.
   * `each` answers `keep` (leave it in the queue), `done` (it was deleted), `stop` (leave it and
   * end) or `done-stop`. Everything kept is made visible again at the end. Resolves whether the
   * signal ended the run.
   */
  private async visit(
    signal: AbortSignal | undefined,
    each: (
      letter: DeadLetter,
      received: SqsReceivedMessage,
      ownCopies: Set<string>,
    ) => Promise<'keep' | 'done' | 'stop' | 'done-stop'>,
  ): Promise<boolean> {
    /** MessageId → latest receipt handle of what this run leaves in the queue. */
    const kept = new Map<string, string>();
    const ownCopies = new Set<string>();
    let stopped = false;
    try {
      while (!stopped && !signal?.aborted) {
        // Not aborted on a signal: SQS would still hide what an aborted receive took.
        const batch = await this.client.receiveMessages(this.queueUrl, {
          waitTimeSeconds: this.waitTimeSeconds,
          visibilityTimeout: this.visibilityTimeout,
          decode: false,
        });
        if (batch.length === 0) break;
        for (const received of batch) {
          const seen = kept.has(received.messageId) || ownCopies.has(received.messageId);
          if (seen || stopped || signal?.aborted) {
            kept.set(received.messageId, received.receiptHandle);
            continue;
          }
          const answer = await each(toDeadLetter(received), received, ownCopies);
          if (answer === 'keep' || answer === 'stop') {
            kept.set(received.messageId, received.receiptHandle);
          }
          if (answer === 'stop' || answer === 'done-stop') stopped = true;
        }
      }
    } finally {
      await this.release([...kept.values()]);
    }
    return signal?.aborted ?? false;
  }

  /** Makes what the run left alone visible again at once. */
  private async release(receiptHandles: string[]): Promise<void> {
    if (receiptHandles.length === 0) return;
    await this.client
      .changeMessageVisibilityBatch(
        this.queueUrl,
        receiptHandles.map((receiptHandle) => ({ receiptHandle, visibilityTimeout: 0 })),
      )
      // Not fatal: they become visible by themselves when their visibility timeout ends.
      .catch(() => undefined);
  }

  /**
   * Sends the body unchanged with the original's own attributes. On a FIFO target the dead
   * letter's MessageId deduplicates, so a copy sent again within SQS's five-minute window
   * (a run killed between the copy and the delete, then rerun) is stored once.
   */
  private sendCopy(received: SqsReceivedMessage, target: string): Promise<string> {
    const messageAttributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(received.messageAttributes)) {
      if (NOT_SENT.has(name)) continue;
      messageAttributes[name] = {
        DataType: value.dataType,
        ...(value.stringValue !== undefined ? { StringValue: value.stringValue } : {}),
        ...(value.binaryValue !== undefined ? { BinaryValue: value.binaryValue } : {}),
      };
    }
    const fifo = isFifoQueueUrl(this.client.resolveQueueUrl(target));
    return this.client.sendRawMessage(received.rawBody, target, {
      messageAttributes,
      ...(fifo
        ? {
            messageGroupId: received.attributes.MessageGroupId ?? queueNameOf(target),
            deduplicationId: received.messageId,
          }
        : {}),
    });
  }
}

function toDeadLetter(received: SqsReceivedMessage): DeadLetter {
  const busHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(received.messageAttributes)) {
    if (name.startsWith('bus-') && value.stringValue !== undefined)
      busHeaders[name] = value.stringValue;
  }
  const names = SQS_DEAD_LETTER_ATTRIBUTES;
  return describeDeadLetter({
    id: received.messageId,
    busHeaders,
    names: { reason: names.reason, origin: names.sourceQueue, failedAt: names.failedAt },
    ...(received.attributes.SentTimestamp !== undefined
      ? { storedAt: received.attributes.SentTimestamp }
      : {}),
    body: Buffer.from(received.rawBody, 'utf8'),
    truncated: false,
  });
}
