import { withOccasionalCounts } from '../occasional-counts';
import { Logger } from '@nestjs/common';
import { describeDelivery } from '../../dispatch/delivery-description';
import { isUnauthenticated, type DispatchOutcome } from '../../dispatch/delivery-outcome';
import {
  decideSettlement,
  type Settlement,
  type SettlementRules,
} from '../../dispatch/settlement-policy';
import { observeSettlement } from '../../telemetry/settlement-observation';
import { MessageBusConfigurationError } from '../../errors/message-bus-configuration.error';
import { SqsConsumerFailedError } from './errors/sqs-consumer-failed.error';
import { SqsInvalidArgumentError } from './errors/sqs-invalid-argument.error';
import { SqsQueueDoesNotExistError } from './errors/sqs-queue-does-not-exist.error';
import type { ResolvedSqsConsumer } from '../../options/resolved-options';
import type { InboundDelivery } from '../../dispatch/inbound-delivery.interface';
import type {
  ConsumerState,
  ConsumerStatus,
  DeliveryHandler,
  RunningConsumer,
} from '../transport.interface';
import { sqsConsumerName } from '../consumer-names';
import { FifoGroupSerializer } from './consumer/fifo-group-serializer';
import { InFlightLimiter } from './consumer/in-flight-limiter';
import { receiveBackoffMs, sleep } from './consumer/sqs-consumer-backoff';
import {
  SQS_EMPTY_SHORT_POLL_PAUSE_MS,
  SQS_CONSUMER_RECEIVE_ATTRIBUTES,
  SQS_RECEIVE_ANSWER_GRACE_MS,
} from './consumer/sqs-consumer.constants';
import { describeError, isPermanentSqsError } from './consumer/sqs-consumer-errors';
import { SqsDeadLetterPublisher } from './consumer/sqs-dead-letter-publisher';
import { SqsEntryBatcher } from './consumer/sqs-entry-batcher';
import { toVisibilitySeconds } from './consumer/sqs-visibility-delay';
import { VisibilityHeartbeat } from './consumer/visibility-heartbeat';
import type { SqsVisibilityChange } from './sqs-batch-result.interface';
import { isFifoQueueUrl } from './sqs-queue-address';
import type { SqsReceivedMessage } from './sqs-received-message.interface';
import type { SqsClient } from './sqs.client';
import { unlessAborted } from '../unless-aborted';
import { SQS_MAX_RECEIVE_MESSAGES } from './sqs.constants';

/** One received message, from receive until it is deleted, re-timed or released. */
interface HeldMessage {
  readonly key: string;
  readonly received: SqsReceivedMessage;
  readonly delivery: InboundDelivery;
  /** FIFO queues: the message group. */
  readonly groupId?: string;
  phase: 'waiting' | 'running' | 'settling';
  /** Released at shutdown while its handler still ran: whatever it returns is ignored. */
  abandoned: boolean;
}

/** Failures in a row after which a poller logs again while SQS stays unreachable. */
const LOG_EVERY_FAILURES = 10;

/**
 * Consumes one SQS queue: `pollers` long-polling receive loops feed up to `concurrency`
 * messages in flight (a poller asks only for as many as there are free slots), each goes
 * through the handler, and its outcome becomes a batched delete, a retry delay, or a dead
 * letter. Visibility is extended while a message is held; FIFO groups run one message at a
 * time, in order. `stop()` sends no new receive, lets running handlers finish, and gives
 * back what it will not finish, so nothing is lost and nothing is acknowledged twice.
 *
 * A receive already sent is not aborted at `stop()` but awaited (up to its `waitTimeSeconds`):
 * SQS keeps an aborted long poll open on its side, and whatever it takes then is hidden for
 * its visibility timeout and handed to nobody. What a receive returns while the consumer
 * stops, and what shutdown gives back, is released only once no receive of this consumer is
 * open, so that none of its own receives takes it again.
 *
 * `pause()` works the same way without stopping: the pollers send no new receive until
 * `resume()`, running handlers finish and settle, and what a receive already open returns
 * (or a FIFO group had waiting) is given back once no receive of this consumer is open.
 */
export class SqsConsumer implements RunningConsumer {
  readonly name: string;
  private readonly logger = new Logger(SqsConsumer.name);
  private readonly queueUrl: string;
  private readonly fifo: boolean;
  private readonly limiter: InFlightLimiter;
  /** Stopping or failed: ends the pollers' waits (free slots, backoff), so no new receive is sent. */
  private readonly abort = new AbortController();
  /** Aborts receives under way: only for one SQS has not answered well after its wait time. */
  private readonly receiveAbort = new AbortController();
  /** Messages to give back once no receive is open (see the class comment), with why. */
  private readonly givingBack: Array<{ readonly held: HeldMessage; readonly why: string }> = [];
  private receivesEnded?: Promise<void>;
  private receivesOver = false;
  /** Receives sent and not answered yet: a pause gives messages back only once there are none. */
  private openReceives = 0;
  /** Set while paused: the pollers wait on it before their next receive. */
  private resumed?: { readonly promise: Promise<void>; readonly open: () => void };
  private readonly held = new Map<string, HeldMessage>();
  /** Handler plus settlement of each started message. */
  private readonly work = new Map<string, Promise<void>>();
  /** Deletes and releases under way, each logging its own failure; shutdown waits for them. */
  private readonly background = new Set<Promise<void>>();
  private readonly groups?: FifoGroupSerializer<HeldMessage>;
  private readonly deletes: SqsEntryBatcher<string>;
  private readonly visibility: SqsEntryBatcher<SqsVisibilityChange>;
  private readonly heartbeat: VisibilityHeartbeat;
  private readonly deadLetters?: SqsDeadLetterPublisher;
  private readonly counts = { handled: 0, retried: 0, deadLettered: 0 };
  private unauthenticated = 0;
  /** Deliveries acknowledged as idempotency duplicates: reported once there is one. */
  private duplicates = 0;
  private readonly rules: SettlementRules;
  private state: ConsumerState = 'starting';
  private lastError?: string;
  /** Why the consumer failed, for `start()` to reject with under `startup: 'fail-fast'`. */
  private failure?: SqsConsumerFailedError;
  private hasRedrivePolicy = false;
  private nextKey = 0;
  private running?: Promise<void>;
  private stopped?: Promise<void>;

  constructor(
    private readonly client: SqsClient,
    private readonly subscription: ResolvedSqsConsumer,
    private readonly handler: DeliveryHandler,
  ) {
    this.name = sqsConsumerName(subscription.queue);
    this.rules = {
      retry: subscription.retry,
      canDeadLetter: subscription.deadLetterQueue !== undefined,
      holdRefusedMs: subscription.visibilityTimeout * 1_000,
    };
    this.queueUrl = queueUrlOf(client, subscription.queue, 'queue');
    this.fifo = isFifoQueueUrl(this.queueUrl);
    this.limiter = new InFlightLimiter(subscription.concurrency);
    if (this.fifo) this.groups = new FifoGroupSerializer<HeldMessage>();
    if (subscription.deadLetterQueue !== undefined) {
      queueUrlOf(client, subscription.deadLetterQueue, 'deadLetterQueue');
      this.deadLetters = new SqsDeadLetterPublisher(client, subscription.deadLetterQueue);
    }
    this.deletes = new SqsEntryBatcher((handles) =>
      this.client.deleteMessages(this.queueUrl, handles),
    );
    this.visibility = new SqsEntryBatcher((changes) =>
      this.client.changeMessageVisibilityBatch(this.queueUrl, changes),
    );
    this.heartbeat = new VisibilityHeartbeat({
      visibilityTimeout: subscription.visibilityTimeout,
      extend: (receiptHandle, visibilityTimeout) =>
        this.visibility.add({ receiptHandle, visibilityTimeout }),
      onFailure: (key, result) => {
        const held = this.held.get(key);
        if (!held) return;
        this.logger.warn(
          `Could not extend the visibility of ${describeDelivery(held.delivery)} (${result.code}: ${result.reason}); ` +
            'another consumer may receive it while its handler runs',
        );
      },
    });
  }

  /**
   * Checks the credentials (missing ones reject with `SqsCredentialsMissingError`), then
   * starts the receive loops. Under `startup: 'keep-retrying'` (the default) it returns at
   * once and `status()` tells how they fare: `reconnecting` while SQS cannot be reached.
   * Under `'fail-fast'` it first checks the queue (and the dead-letter queue), and rejects
   * with `SqsConsumerFailedError` naming the queue when that check fails for any reason.
   */
  async start(): Promise<void> {
    if (this.running) return;
    await this.client.checkCredentials();
    const failFast = this.subscription.startup === 'fail-fast';
    const inspected = this.inspectQueues(failFast);
    this.running = this.run(inspected);
    if (failFast && !(await inspected) && this.failure) throw this.failure;
  }

  status(): ConsumerStatus {
    const state = this.resumed && this.state === 'running' ? 'paused' : this.state;
    const status = withOccasionalCounts(
      { name: this.name, state, inFlight: this.held.size, ...this.counts },
      { unauthenticated: this.unauthenticated, duplicate: this.duplicates },
    );
    return this.lastError === undefined ? status : { ...status, lastError: this.lastError };
  }

  stop(timeoutMs: number): Promise<void> {
    this.stopped ??= this.shutdown(timeoutMs);
    return this.stopped;
  }

  async pause(): Promise<void> {
    if (this.abort.signal.aborted) return;
    if (!this.resumed) {
      let open = (): void => undefined;
      const promise = new Promise<void>((resolve) => (open = resolve));
      this.resumed = { promise, open };
      if (this.groups) this.giveBack(this.groups.drain(), 'the consumer was paused');
      this.logger.log(`Paused consuming ${this.subscription.queue}`);
    }
    await Promise.allSettled([...this.work.values()]);
  }

  async resume(): Promise<void> {
    const resumed = this.resumed;
    if (!resumed) return;
    this.resumed = undefined;
    resumed.open();
    // Given back while paused but still held (a receive was open): released now.
    if (this.givingBack.length > 0) this.inBackground(this.releaseGivenBack());
    this.logger.log(`Resumed consuming ${this.subscription.queue}`);
  }

  private async run(inspected: Promise<boolean>): Promise<void> {
    if (!(await inspected)) return;
    this.setState('running');
    const pollers = Array.from({ length: this.subscription.pollers }, () => this.poll());
    await Promise.all(pollers);
  }

  /**
   * Resolves once the pollers have returned and no receive is open any more, then gives back
   * what was held for that moment. A receive SQS leaves unanswered well past its wait time
   * (a network that swallows the request) is aborted then, with a warning.
   */
  private endReceives(): Promise<void> {
    this.receivesEnded ??= this.awaitReceives();
    return this.receivesEnded;
  }

  private async awaitReceives(): Promise<void> {
    const { queue, waitTimeSeconds, visibilityTimeout } = this.subscription;
    const answerWithinMs = waitTimeSeconds * 1_000 + SQS_RECEIVE_ANSWER_GRACE_MS;
    const running = this.running ?? Promise.resolve();
    if (!(await settledWithin([running], answerWithinMs))) {
      this.logger.warn(
        `A receive from ${queue} was not answered ${answerWithinMs} ms after the consumer began to stop; ` +
          `aborted it: a message SQS still hands to it stays hidden for up to ${visibilityTimeout}s`,
      );
      this.receiveAbort.abort();
      await running;
    }
    this.receivesOver = true;
    await this.releaseGivenBack();
  }

  /** Releases what waited for no receive to be open, one log line per reason. */
  private async releaseGivenBack(): Promise<void> {
    const byReason = new Map<string, HeldMessage[]>();
    for (const { held, why } of this.givingBack.splice(0))
      byReason.set(why, [...(byReason.get(why) ?? []), held]);
    await Promise.all([...byReason].map(([why, messages]) => this.release(messages, why)));
  }

  /**
   * Gives messages back: at once while the consumer runs, or, once it stops or failed, when no
   * receive of its own is open any more (`endReceives`), since one would take them again.
   */
  private giveBack(messages: HeldMessage[], why: string): void {
    if (messages.length === 0) return;
    const waitForReceives = this.abort.signal.aborted
      ? !this.receivesOver
      : this.resumed !== undefined && this.openReceives > 0;
    if (waitForReceives) {
      for (const held of messages) this.givingBack.push({ held, why });
      return;
    }
    this.inBackground(this.release(messages, why));
  }

  /**
   * Checks that the queue (and the dead-letter queue) exist and learns whether the queue has
   * a redrive policy, retrying while SQS is unreachable unless `failFast`, which fails the
   * consumer at the first failure. False when the consumer failed or was stopped meanwhile.
   */
  private async inspectQueues(failFast: boolean): Promise<boolean> {
    const signal = this.abort.signal;
    for (let failures = 1; !signal.aborted; failures += 1) {
      try {
        const attributes = await this.client.getQueueAttributes(this.queueUrl, ['RedrivePolicy']);
        this.hasRedrivePolicy = Boolean(attributes.RedrivePolicy);
        if (this.deadLetters) await this.inspectDeadLetterQueue(this.deadLetters);
        return true;
      } catch (error) {
        if (signal.aborted) return false;
        if (isPermanentSqsError(error)) {
          this.fail(error);
          return false;
        }
        if (failFast) {
          this.fail(this.unreachableAtStart(error));
          return false;
        }
        this.reconnecting(error, failures, 'checking the queue');
        await sleep(receiveBackoffMs(failures), signal);
      }
    }
    return false;
  }

  private async inspectDeadLetterQueue(deadLetters: SqsDeadLetterPublisher): Promise<void> {
    try {
      await this.client.getQueueAttributes(deadLetters.queueUrl, ['QueueArn']);
    } catch (error) {
      if (!(error instanceof SqsQueueDoesNotExistError)) throw error;
      throw new SqsConsumerFailedError(
        this.subscription.queue,
        `its dead-letter queue ${deadLetters.deadLetterQueue} does not exist: create it, or fix consumers.sqs[].deadLetterQueue`,
        { cause: error },
      );
    }
  }

  /** One receive loop: reserve free slots, long-poll for that many, hand them out, repeat. */
  private async poll(): Promise<void> {
    const signal = this.abort.signal;
    const { waitTimeSeconds, visibilityTimeout } = this.subscription;
    let failures = 0;
    while (!signal.aborted && this.state !== 'failed') {
      if (this.resumed) {
        // Until resumed, or at once when the consumer stops.
        await unlessAborted(this.resumed.promise, signal);
        continue;
      }
      const slots = await this.limiter.acquireUpTo(SQS_MAX_RECEIVE_MESSAGES, signal);
      if (slots === 0) break;
      const requestedAt = Date.now();
      let messages: SqsReceivedMessage[];
      this.openReceives += 1;
      try {
        messages = await this.client.receiveMessages(this.queueUrl, {
          maxMessages: slots,
          waitTimeSeconds,
          visibilityTimeout,
          // Not `signal`: a stop lets the receive end (see the class comment).
          abortSignal: this.receiveAbort.signal,
          // The dispatcher parses and validates each body once; the client need not as well.
          decode: false,
          attributeNames: SQS_CONSUMER_RECEIVE_ATTRIBUTES,
        });
      } catch (error) {
        this.openReceives -= 1;
        this.limiter.release(slots);
        if (signal.aborted) break;
        if (isPermanentSqsError(error)) {
          this.fail(error);
          break;
        }
        failures += 1;
        this.reconnecting(error, failures, 'receiving');
        await sleep(receiveBackoffMs(failures), signal);
        continue;
      }
      if (failures > 0) {
        failures = 0;
        this.recovered();
      }
      this.openReceives -= 1;
      this.limiter.release(slots - messages.length);
      for (const message of messages) this.accept(message, requestedAt);
      // Paused meanwhile: what this receive (and the others) brought goes back now.
      if (this.resumed && this.openReceives === 0 && !signal.aborted)
        this.inBackground(this.releaseGivenBack());
      if (messages.length === 0 && waitTimeSeconds === 0)
        await sleep(SQS_EMPTY_SHORT_POLL_PAUSE_MS, signal);
    }
  }

  private accept(received: SqsReceivedMessage, requestedAt: number): void {
    const key = String(this.nextKey++);
    const groupId = this.fifo ? received.attributes.MessageGroupId : undefined;
    const held: HeldMessage = {
      key,
      received,
      delivery: this.toDelivery(received),
      groupId,
      phase: 'waiting',
      abandoned: false,
    };
    this.held.set(key, held);
    this.heartbeat.track(key, received.receiptHandle, requestedAt);
    if (this.abort.signal.aborted) {
      // The receive was answered as the consumer stopped: the message goes back unhandled.
      this.giveBack([held], 'received while stopping');
      return;
    }
    if (this.resumed) {
      this.giveBack([held], 'received as the consumer was paused');
      return;
    }
    const startsNow =
      !this.groups || this.groups.offer(groupId ?? '', held, received.attributes.SequenceNumber);
    if (startsNow) this.begin(held);
  }

  private toDelivery(received: SqsReceivedMessage): InboundDelivery {
    const headers: Record<string, string> = {};
    for (const [name, attribute] of Object.entries(received.messageAttributes)) {
      if (attribute.stringValue !== undefined) headers[name] = attribute.stringValue;
    }
    return {
      transport: 'sqs',
      source: this.subscription.queue,
      body: received.rawBody,
      attempt: received.receiveCount,
      messageId: received.messageId,
      receiptHandle: received.receiptHandle,
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
    };
  }

  private begin(held: HeldMessage): void {
    held.phase = 'running';
    const work = this.process(held).finally(() => this.work.delete(held.key));
    this.work.set(held.key, work);
  }

  private async process(held: HeldMessage): Promise<void> {
    let outcome: DispatchOutcome;
    try {
      outcome = await this.handler(held.delivery);
    } catch (error) {
      // The dispatcher returns every failure as an outcome; a throwing handler is retried all the same.
      outcome = { status: 'failed', error };
    }
    if (held.abandoned) {
      this.logger.warn(
        `${describeDelivery(held.delivery, outcome.message)} finished after shutdown gave it back to ${this.subscription.queue}; ` +
          'its result is dropped and it will be delivered again',
      );
      return;
    }
    held.phase = 'settling';
    try {
      await this.settle(held, outcome);
    } catch (error) {
      // Settling only logs SQS failures; this is a bug, and the message comes back when its visibility ends.
      this.logger.error(
        `Could not settle ${describeDelivery(held.delivery)}: ${describeError(error)}`,
      );
      this.forget(held, true);
    }
  }

  private async settle(held: HeldMessage, outcome: DispatchOutcome): Promise<void> {
    const settlement = decideSettlement(outcome, held.delivery.attempt, this.rules);
    observeSettlement(held.delivery, settlement);
    if (isUnauthenticated(outcome)) this.unauthenticated += 1;
    // An extension on the wire must land before our own change, or it would undo a retry delay.
    await this.heartbeat.untrack(held.key);
    const what = (): string => describeDelivery(held.delivery, outcome.message);
    let leftOnQueue: boolean;
    switch (settlement.action) {
      case 'acknowledge':
        if (outcome.status === 'duplicate') this.duplicates += 1;
        else this.counts.handled += 1;
        this.acknowledge(held, what);
        leftOnQueue = false;
        break;
      case 'retry': {
        const seconds = toVisibilitySeconds(settlement.delayMs);
        this.counts.retried += 1;
        this.logger.warn(
          `Retrying ${what()} of ${this.subscription.retry.maxAttempts} in ${seconds}s: ${settlement.reason}`,
        );
        await this.changeVisibility(held, seconds, 'delay the retry of', what);
        leftOnQueue = true;
        break;
      }
      case 'dead-letter':
        leftOnQueue = !(await this.deadLetter(held, settlement, what));
        break;
      case 'leave':
      case 'release': {
        // This consumer settles normally while it stops (a visibility change is one short
        // call), so `release` does not come from the policy here; treat it like a leave.
        const seconds = settlement.action === 'leave' ? toVisibilitySeconds(settlement.delayMs) : 0;
        this.leave(settlement.reason, seconds, what);
        await this.changeVisibility(held, seconds, 'delay', what);
        leftOnQueue = true;
        break;
      }
    }
    this.forget(held, leftOnQueue);
  }

  /** Sends the original body to the dead-letter queue, then deletes it; false when the send failed. */
  private async deadLetter(
    held: HeldMessage,
    settlement: Extract<Settlement, { action: 'dead-letter' }>,
    what: () => string,
  ): Promise<boolean> {
    const deadLetters = this.deadLetters as SqsDeadLetterPublisher;
    const { received, delivery } = held;
    try {
      await deadLetters.publish({
        rawBody: received.rawBody,
        reason: settlement.reason,
        sourceQueue: this.subscription.queue,
        attempts: delivery.attempt,
        originalMessageId: received.messageId,
        messageGroupId: held.groupId,
        messageAttributes: received.messageAttributes,
      });
    } catch (error) {
      const delaySeconds = toVisibilitySeconds(
        this.subscription.retry.delayAfter(delivery.attempt),
      );
      // Never deleted without its copy: whether SQS refused it for now or for good (queue
      // deleted, access denied), it stays on the source queue.
      this.logger.error(
        `Could not dead-letter ${what()} to ${deadLetters.deadLetterQueue} (${describeError(error)}); ` +
          `it stays on ${this.subscription.queue} and comes back in ${delaySeconds}s: ${settlement.reason}`,
      );
      await this.changeVisibility(held, delaySeconds, 'delay', what);
      return false;
    }
    this.counts.deadLettered += 1;
    this.logger.error(
      `Dead-lettered ${what()} to ${deadLetters.deadLetterQueue}: ${settlement.reason}`,
    );
    this.acknowledge(held, what);
    return true;
  }

  private leave(reason: string, seconds: number, what: () => string): void {
    if (this.hasRedrivePolicy) {
      this.logger.warn(
        `Gave up on ${what()} (${reason}); the redrive policy of ${this.subscription.queue} moves it on, ` +
          `visible again in ${seconds}s`,
      );
    } else {
      this.logger.error(
        `Gave up on ${what()} (${reason}), but ${this.subscription.queue} has no dead-letter queue: it stays on the queue, ` +
          `visible again in ${seconds}s; set consumers.sqs[].deadLetterQueue or a redrive policy`,
      );
    }
  }

  /** Queues the delete; a failed delete means a redelivery, never a loss, so it is logged and left. */
  private acknowledge(held: HeldMessage, what: () => string): void {
    this.inBackground(
      this.deletes.add(held.received.receiptHandle).then((result) => {
        if (!result.ok) {
          this.logger.warn(
            `Could not delete ${what()} (${result.code}: ${result.reason}); it will be delivered again`,
          );
        }
      }),
    );
  }

  private inBackground(task: Promise<void>): void {
    const tracked = task
      .catch((error: unknown) =>
        this.logger.error(`SQS consumer of ${this.subscription.queue}: ${describeError(error)}`),
      )
      .finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  private async changeVisibility(
    held: HeldMessage,
    seconds: number,
    purpose: string,
    what: () => string,
  ): Promise<boolean> {
    const result = await this.visibility.add({
      receiptHandle: held.received.receiptHandle,
      visibilityTimeout: seconds,
    });
    if (!result.ok) {
      this.logger.warn(
        `Could not ${purpose} ${what()} (${result.code}: ${result.reason}); it is visible again when its current visibility ends`,
      );
    }
    return result.ok;
  }

  /** The message is settled: frees its slot and moves its FIFO group on. */
  private forget(held: HeldMessage, leftOnQueue: boolean): void {
    if (!this.held.delete(held.key)) return;
    this.limiter.release(1);
    if (!this.groups) return;
    const { next, release } = this.groups.settled(held.groupId ?? '', leftOnQueue);
    this.giveBack(release, `an earlier message of group ${held.groupId ?? ''} stays on the queue`);
    if (!next) return;
    if (this.abort.signal.aborted) this.giveBack([next], 'not started before shutdown');
    else if (this.resumed) this.giveBack([next], 'not started before the consumer was paused');
    else this.begin(next);
  }

  /** Gives messages back unprocessed: visible again at once, so another consumer (or this one) gets them. */
  private async release(messages: HeldMessage[], why: string): Promise<void> {
    if (messages.length === 0) return;
    await Promise.all(
      messages.map(async (held) => {
        await this.heartbeat.untrack(held.key);
        const result = await this.visibility.add({
          receiptHandle: held.received.receiptHandle,
          visibilityTimeout: 0,
        });
        if (!result.ok) {
          this.logger.warn(
            `Could not release ${describeDelivery(held.delivery)} (${result.code}: ${result.reason}); it is visible again when its visibility ends`,
          );
        }
        if (this.held.delete(held.key)) this.limiter.release(1);
      }),
    );
    this.logger.log(
      `Gave ${messages.length} message(s) back to ${this.subscription.queue}: ${why}`,
    );
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    if (this.state !== 'failed') this.setState('stopping');
    this.abort.abort();
    // Receives already sent end meanwhile (within their wait time); handlers get `timeoutMs`.
    const receivesEnded = this.endReceives();
    if (this.groups) this.giveBack(this.groups.drain(), 'not started before shutdown');

    const finished = await settledWithin([...this.work.values()], timeoutMs);
    if (!finished) {
      const unfinished = [...this.held.values()].filter((held) => held.phase === 'running');
      for (const held of unfinished) held.abandoned = true;
      this.logger.warn(
        `${unfinished.length} handler(s) of ${this.subscription.queue} still ran after ${timeoutMs} ms; their messages go back to the queue`,
      );
      // Their visibility is extended until they go back: no receive of ours can take them meanwhile.
      this.giveBack(unfinished, 'handler still running at shutdown');
    }
    await receivesEnded;
    if (!finished) {
      // Settlements already under way are short SQS calls: let them land.
      const settling = [...this.held.values()].flatMap((held) => {
        const work = held.abandoned ? undefined : this.work.get(held.key);
        return work ? [work] : [];
      });
      await Promise.all(settling);
    }
    this.deletes.flush();
    this.visibility.flush();
    while (this.background.size > 0) await Promise.all([...this.background]);
    await Promise.all([this.deletes.drain(), this.visibility.drain()]);
    await this.heartbeat.stop();
    if (this.state !== 'failed') this.setState('stopped');
    const { handled, retried, deadLettered } = this.counts;
    this.logger.log(
      `Stopped consuming ${this.subscription.queue}: ${handled} handled, ${retried} retried, ${deadLettered} dead-lettered`,
    );
  }

  private setState(state: ConsumerState): void {
    this.state = state;
  }

  private reconnecting(error: unknown, failures: number, doing: string): void {
    if (this.state === 'stopping' || this.state === 'stopped' || this.state === 'failed') return;
    const entering = this.state !== 'reconnecting';
    this.lastError = describeError(error);
    this.setState('reconnecting');
    if (entering || failures % LOG_EVERY_FAILURES === 0) {
      this.logger.warn(
        `SQS unreachable while ${doing} on ${this.subscription.queue} (${this.lastError}); retrying with backoff (${failures} failure(s) in a row)`,
      );
    }
  }

  private recovered(): void {
    if (this.state !== 'reconnecting') return;
    this.setState('running');
    this.logger.log(`Receiving from ${this.subscription.queue} again`);
  }

  /** Why a `startup: 'fail-fast'` consumer did not start: SQS could not be reached. */
  private unreachableAtStart(error: unknown): SqsConsumerFailedError {
    return new SqsConsumerFailedError(
      this.subscription.queue,
      `SQS at ${this.queueUrl} could not be reached at start-up (${describeError(error)}): ` +
        "check sqs.queueUrl (or sqs.endpoint) and that SQS is up, or set startup to 'keep-retrying' to wait for it",
      { cause: error },
    );
  }

  private fail(error: unknown): void {
    if (this.state === 'failed') return;
    const failure =
      error instanceof SqsConsumerFailedError
        ? error
        : new SqsConsumerFailedError(
            this.subscription.queue,
            error instanceof SqsQueueDoesNotExistError
              ? describeError(error)
              : `${describeError(error)}; check sqs.queueUrl, the credentials and the queue policy, then restart the app`,
            { cause: error },
          );
    this.lastError = failure.message;
    this.failure = failure;
    this.setState('failed');
    this.logger.error(failure.message);
    // The other pollers stop too; running handlers still settle, waiting ones go back.
    this.abort.abort();
    if (this.groups) this.giveBack(this.groups.drain(), 'the consumer failed');
    this.inBackground(this.endReceives());
  }
}

function queueUrlOf(
  client: SqsClient,
  queue: string,
  setting: 'queue' | 'deadLetterQueue',
): string {
  try {
    return client.resolveQueueUrl(queue);
  } catch (error) {
    if (!(error instanceof SqsInvalidArgumentError)) throw error;
    throw new MessageBusConfigurationError(`consumers.sqs[].${setting}`, error.problem);
  }
}

/** Whether every promise settled within `timeoutMs`. */
async function settledWithin(promises: Promise<unknown>[], timeoutMs: number): Promise<boolean> {
  if (promises.length === 0) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([Promise.allSettled(promises).then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
